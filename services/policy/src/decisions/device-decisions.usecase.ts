import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DecisionView, DeviceDecisionsReply, DeviceDecisionsRequest, DomainError, ErrorCode, FactScalar, FiredRuleView, TrustOutcomeName } from '@iis/contracts';
import { DeviceTrustEntity } from '../evaluation/device-trust.entity';
import { DecisionEntity } from './decision.entity';

/** The latest stored decisions of one device, newest first, with their explanations. */
@Injectable()
export class DeviceDecisionsUseCase {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async execute(req: DeviceDecisionsRequest): Promise<DeviceDecisionsReply> {
    if (!req || typeof req.deviceId !== 'string' || !req.deviceId || req.deviceId.length > 36) throw new DomainError(ErrorCode.BadRequest, 'deviceId is required');
    const limit = req.limit === undefined ? 10 : Number(req.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new DomainError(ErrorCode.BadRequest, 'limit must be 1 to 100');
    const rows = await this.ds.getRepository(DecisionEntity).find({ where: { deviceId: req.deviceId }, order: { createdAt: 'DESC' }, take: limit });
    const trust = await this.ds.getRepository(DeviceTrustEntity).findOneBy({ deviceId: req.deviceId });
    return { deviceId: req.deviceId, trustState: trust?.state ?? 'trusted', decisions: rows.map(view) };
  }
}

function view(r: DecisionEntity): DecisionView {
  return {
    decisionId: r.id,
    deviceId: r.deviceId,
    action: r.action,
    trigger: r.trigger ?? r.action,
    outcome: r.outcome,
    trustOutcome: (r.trustOutcome as TrustOutcomeName | null) ?? null,
    score: r.score,
    ttlSeconds: r.ttlSeconds,
    policyVersion: r.policyVersion,
    reasons: JSON.parse(r.reasons) as string[],
    explanation: r.explanation ? (JSON.parse(r.explanation) as FiredRuleView[]) : [],
    facts: r.facts ? (JSON.parse(r.facts) as Record<string, FactScalar>) : null,
    createdAt: new Date(r.createdAt).toISOString(),
  };
}
