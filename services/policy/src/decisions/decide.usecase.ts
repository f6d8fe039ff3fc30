import { randomUUID } from 'node:crypto';
import { Injectable, Inject } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DecisionReply, DecisionRequest, DomainError, ErrorCode } from '@iis/contracts';
import { DEFAULT_POLICY_VERSION, evaluateDefaultPolicy } from './default-policy';
import { DecisionEntity } from './decision.entity';
import { POLICY_SETTINGS, PolicySettings } from '../policy.tokens';

/** Evaluates the active policy for one request and stores the decision. */
@Injectable()
export class DecideUseCase {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(POLICY_SETTINGS) private readonly settings: PolicySettings,
  ) {}

  async execute(req: DecisionRequest): Promise<DecisionReply> {
    if (!req || (req.action !== 'enroll' && req.action !== 'reenroll')) {
      throw new DomainError(ErrorCode.BadRequest, 'action must be enroll or reenroll');
    }
    const evaluation = evaluateDefaultPolicy(req);
    const reply: DecisionReply = {
      decisionId: randomUUID(),
      outcome: evaluation.outcome,
      ttlSeconds: this.settings.deviceTtlSeconds,
      policyVersion: DEFAULT_POLICY_VERSION,
      reasons: evaluation.reasons,
    };
    await this.ds.getRepository(DecisionEntity).insert({
      id: reply.decisionId,
      deviceId: typeof req.deviceId === 'string' ? req.deviceId : null,
      action: req.action,
      outcome: reply.outcome,
      ttlSeconds: reply.ttlSeconds,
      policyVersion: reply.policyVersion,
      reasons: JSON.stringify(reply.reasons),
    });
    return reply;
  }
}
