import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock, CLOCK } from '@iis/config';
import {
  DeviceView,
  DomainError,
  ErrorCode,
  FactEvent,
  FactScalar,
  GetDeviceRequest,
  RevocationDeviceSubjects,
  RevokeDeviceReply,
  RevokeDeviceRequest,
  Subjects,
} from '@iis/contracts';
import { RpcClient } from '@iis/messaging';
import { evaluatePolicy, nextTrustState } from '@iis/policy-engine';
import { RPC } from '@iis/runtime';
import { DecisionEntity } from '../decisions/decision.entity';
import { factsForDecision } from '../decisions/request-facts';
import { PolicyStoreService } from '../policies/policy-store.service';
import { DeviceTrustEntity } from './device-trust.entity';
import { applyFactEvent, RegisteredIdentity } from './fact-events';
import { PolicyStats } from './policy-stats';

/**
 * Continuous evaluation: fold one fact event into what the engine knows about the device,
 * re-score it under the active policy, store the decision, and move the trust state with
 * hysteresis. Entering quarantine or deny asks the revocation service to revoke the device's
 * certificates first; only then is the new state committed, so a failed revocation is retried
 * when the event is redelivered. From then on every enrollment decision for it is refused.
 */
@Injectable()
export class RescoreUseCase {
  private readonly logger = new Logger('policy.rescore');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(RPC) private readonly rpc: RpcClient,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly store: PolicyStoreService,
    private readonly stats: PolicyStats,
  ) {}

  async execute(event: FactEvent): Promise<void> {
    const device = await this.rpc.request<GetDeviceRequest, DeviceView>(Subjects.onboarding.getDevice, { id: event.deviceId }).catch((e: unknown) => {
      if (e instanceof DomainError && e.code === ErrorCode.NotFound) return null;
      throw e;
    });
    const registered: RegisteredIdentity | null = device
      ? { deviceClass: device.deviceClass, iccid: device.sim?.iccid ?? null, imei: device.sim?.imei ?? null, imsi: device.sim?.imsi ?? null, keySha256: device.sim?.keySha256 ?? null, keyBoundAt: device.sim?.keyBoundAt ?? null }
      : null;
    const now = this.clock.now();
    const repo = this.ds.getRepository(DeviceTrustEntity);
    const row = (await repo.findOneBy({ deviceId: event.deviceId })) ?? repo.create({ deviceId: event.deviceId, facts: '{}', state: 'trusted', score: null, lastDecisionId: null, stateChangedAt: null });
    const learned = applyFactEvent(JSON.parse(row.facts) as Record<string, FactScalar>, event, registered, now);

    const active = this.store.active();
    // The engine's own quarantine mark is left out here: the state follows the underlying facts.
    const facts = factsForDecision(
      { deviceId: device?.id ?? null, deviceStatus: device?.status ?? null, simStatus: device?.sim?.status ?? null, action: 'reenroll' },
      learned,
      false,
    );
    facts['request.action'] = 'rescore';
    const e = evaluatePolicy(active.compiled, facts);
    const next = nextTrustState(row.state, e.outcome, e.score, active.compiled.thresholds.quarantine, active.compiled.document.hysteresis?.points ?? 0);
    const decisionId = randomUUID();
    const reasons = e.fired.length ? e.fired.map((f) => f.description) : ['no rule fired'];

    if (next !== 'trusted' && row.state === 'trusted' && device) {
      this.stats.revocationRequests++;
      const cause = `policy ${active.label} ${next} (score ${e.score}): ${reasons.join('; ')}`.slice(0, 400);
      try {
        const reply = await this.rpc.request<RevokeDeviceRequest, RevokeDeviceReply>(RevocationDeviceSubjects.revokeDevice, {
          deviceId: device.id,
          reason: 'privilegeWithdrawn',
          cause,
          actor: `policy-engine (decision ${decisionId})`,
        });
        this.logger.warn(`device ${device.serial} ${next}: ${cause}; revoked ${reply.revoked.length} certificate(s)`);
      } catch (err) {
        this.stats.revocationFailures++;
        throw err;
      }
      this.stats.quarantined++;
    }

    await this.ds.transaction(async (em) => {
      await em.insert(DecisionEntity, {
        id: decisionId,
        deviceId: event.deviceId,
        action: 'rescore',
        outcome: e.ttlSeconds === null ? 'deny' : 'allow',
        ttlSeconds: e.ttlSeconds ?? 0,
        policyVersion: active.label,
        reasons: JSON.stringify(reasons),
        score: e.score,
        trustOutcome: e.outcome,
        explanation: JSON.stringify(e.fired),
        facts: JSON.stringify(facts),
        trigger: `event:${event.kind}`,
        createdAt: now,
      });
      await em.save(
        Object.assign(row, {
          facts: JSON.stringify(learned),
          score: e.score,
          lastDecisionId: decisionId,
          updatedAt: now,
          stateChangedAt: next !== row.state ? now : row.stateChangedAt,
          state: next,
        }),
      );
    });
    this.stats.rescored++;
  }
}
