import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { DataSource, EntityManager } from 'typeorm';
import { Clock, CLOCK } from '@iis/config';
import { AttestationResultEvent, EVIDENCE_FACT_TYPE, EvidenceType, FactStreams, SimEvidence, SimSeenEvent } from '@iis/contracts';
import { NATS_CONNECTION } from '@iis/runtime';
import { FactOutbox } from './fact-outbox';

const SWEEP_MS = 1000;

export interface ResultFact {
  deviceId: string;
  type: EvidenceType;
  verdict: 'pass' | 'fail';
  reason?: string;
  resultId?: string;
  observedAt: Date;
}

/**
 * Every verification outcome and SIM sighting becomes a fact on the stream the policy engine
 * follows, through the outbox (fact-outbox.ts): staged with the result it announces, published
 * after the commit, swept again until JetStream has it. The device's answer never waits on NATS.
 */
@Injectable()
export class AttestationFactsPublisher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('attestation.facts');
  private readonly outbox: FactOutbox;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(NATS_CONNECTION) nc: NatsConnection,
    @Inject(CLOCK) clock: Clock,
  ) {
    this.outbox = new FactOutbox({ ds, js: jetstream(nc), now: () => clock.now(), log: (l) => this.logger.warn(l) });
  }

  onApplicationBootstrap(): void {
    // What an earlier run (or another instance) left goes out now, then on every sweep.
    void this.outbox.kick();
    this.timer = setInterval(() => void this.outbox.sweep(), SWEEP_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.outbox.kick();
  }

  /** Stages the fact of a verification outcome in `em`'s transaction (null: on its own). */
  stageResult(em: EntityManager | null, f: ResultFact): Promise<void> {
    const event: AttestationResultEvent = {
      version: 1,
      eventId: f.resultId ?? randomUUID(),
      deviceId: f.deviceId,
      observedAt: f.observedAt.toISOString(),
      source: 'attestation',
      kind: 'attestation',
      type: EVIDENCE_FACT_TYPE[f.type],
      verdict: f.verdict,
      reason: f.reason,
      resultId: f.resultId,
    };
    return this.outbox.add(em ?? this.ds.manager, FactStreams.attestation, event);
  }

  /** Publishes what was staged, without making the caller wait for NATS. */
  flush(): void {
    void this.outbox.kick();
  }

  /**
   * A SIM sighting: the policy engine compares it with the registry (IMEI, ICCID or device key changed).
   * Staged on its own; the verification that saw it flushes when it ends.
   */
  async publishSimSeen(deviceId: string, sim: SimEvidence, observedAt: Date, keySha256: string | null = null): Promise<void> {
    const event: SimSeenEvent = { version: 1, eventId: randomUUID(), deviceId, observedAt: observedAt.toISOString(), source: 'attestation', kind: 'sim-seen', iccid: sim.iccid, imsi: sim.imsi, imei: sim.imei, ...(keySha256 ? { keySha256 } : {}) };
    await this.outbox.add(this.ds.manager, FactStreams.simSeen, event);
  }
}
