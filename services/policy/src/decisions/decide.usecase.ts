import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { AttestationResultView, DecisionReply, DecisionRequest, DomainError, ErrorCode, FactScalar, GetAttestationResultRequest, Subjects } from '@iis/contracts';
import { RpcClient } from '@iis/messaging';
import { RPC } from '@iis/runtime';
import { evaluatePolicy } from '@iis/policy-engine';
import { Clock, CLOCK } from '@iis/config';
import { withAges } from '../evaluation/fact-events';
import { DeviceTrustEntity } from '../evaluation/device-trust.entity';
import { PolicyStoreService } from '../policies/policy-store.service';
import { DecisionRow, insertDecisions } from './decision-writer';
import { POLICY_SETTINGS, PolicySettings } from '../policy.tokens';
import { MicroBatcher } from './micro-batcher';
import { factsForDecision, validateDecisionRequest } from './request-facts';
import { attestationResultFacts } from './attestation-result-facts';

/**
 * Evaluates the active policy for one request and stores the decision before answering.
 * Requests that arrive together are read and written together (group commit).
 */
@Injectable()
export class DecideUseCase {
  private readonly batcher = new MicroBatcher<DecisionRequest, DecisionReply>((reqs) => this.decideAll(reqs), 1000);

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly store: PolicyStoreService,
    @Inject(POLICY_SETTINGS) private readonly settings: PolicySettings,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(RPC) private readonly rpc: RpcClient,
  ) {}

  async execute(req: DecisionRequest): Promise<DecisionReply> {
    const invalid = validateDecisionRequest(req);
    if (invalid) throw new DomainError(ErrorCode.BadRequest, invalid);
    if (req.attestationResultId === undefined) return this.batcher.submit(req);
    // Only attested enrollments pay this look-up; the facts of the named result win over the caller's.
    const result = await this.rpc.request<GetAttestationResultRequest, AttestationResultView>(Subjects.attestation.getResult, { id: req.attestationResultId }).catch((e: unknown) => {
      throw e instanceof DomainError && (e.code === ErrorCode.NotFound || e.code === ErrorCode.BadRequest) ? new DomainError(ErrorCode.BadRequest, `attestation result ${req.attestationResultId}: ${e.message}`) : e;
    });
    const facts = attestationResultFacts(result, req.deviceId ?? null, this.clock.now());
    return this.batcher.submit({ ...req, facts: { ...(req.facts ?? {}), ...facts } });
  }

  private async decideAll(reqs: DecisionRequest[]): Promise<DecisionReply[]> {
    const active = this.store.active();
    const now = this.clock.now();
    const ids = [...new Set(reqs.map((r) => r.deviceId).filter((id): id is string => typeof id === 'string'))];
    const trust = new Map<string, DeviceTrustEntity>();
    if (ids.length) for (const t of await this.ds.getRepository(DeviceTrustEntity).findBy({ deviceId: In(ids) })) trust.set(t.deviceId, t);

    const rows: DecisionRow[] = [];
    const replies = reqs.map((req) => {
      const t = req.deviceId ? trust.get(req.deviceId) : undefined;
      const learned = t ? withAges(JSON.parse(t.facts) as Record<string, FactScalar>, now) : undefined;
      const facts = factsForDecision(req, learned, t !== undefined && t.state !== 'trusted');
      const e = evaluatePolicy(active.compiled, facts);
      // DEVICE_CERT_TTL_SECONDS stays an upper bound over whatever the policy grants.
      if (e.ttlSeconds !== null) e.ttlSeconds = Math.min(e.ttlSeconds, this.settings.deviceTtlSeconds);
      const reply: DecisionReply = {
        decisionId: randomUUID(),
        outcome: e.ttlSeconds === null ? 'deny' : 'allow',
        ttlSeconds: e.ttlSeconds ?? 0,
        policyVersion: active.label,
        reasons: e.fired.length ? e.fired.map((f) => f.description) : ['no rule fired'],
        score: e.score,
        trustOutcome: e.outcome,
        explanation: e.fired,
      };
      rows.push({
        id: reply.decisionId,
        deviceId: typeof req.deviceId === 'string' ? req.deviceId : null,
        action: req.action,
        outcome: reply.outcome,
        ttlSeconds: reply.ttlSeconds,
        policyVersion: reply.policyVersion,
        reasons: JSON.stringify(reply.reasons),
        score: e.score,
        trustOutcome: e.outcome,
        explanation: JSON.stringify(e.fired),
        facts: JSON.stringify(req.attestationResultId ? { ...facts, 'attestation.resultId': req.attestationResultId } : facts),
        trigger: req.action,
        createdAt: now,
      });
      return reply;
    });
    await this.ds.transaction((em) => insertDecisions(em, rows));
    return replies;
  }
}
