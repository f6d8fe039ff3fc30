import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { AttestationResultEvent, EvidenceType, FactEvent, FactStreams, SimEvidence, SimSeenEvent } from '@iis/contracts';
import { NATS_CONNECTION } from '@iis/runtime';

const FACT_TYPE: Record<EvidenceType, AttestationResultEvent['type']> = { 'tpm2-quote': 'tpm', idevid: 'idevid', sim: 'sim' };

/**
 * Publishes every verification outcome on the facts stream the policy engine follows, with a
 * message id so a retried publish is deduplicated. A failed publish is logged, not fatal: the
 * device's answer does not depend on it (the stored result remains the source of truth).
 */
@Injectable()
export class AttestationFactsPublisher {
  private readonly logger = new Logger('attestation.facts');

  constructor(@Inject(NATS_CONNECTION) private readonly nc: NatsConnection) {}

  async publish(f: { deviceId: string; type: EvidenceType; verdict: 'pass' | 'fail'; reason?: string; resultId?: string; observedAt: Date }): Promise<void> {
    const event: AttestationResultEvent = {
      version: 1,
      eventId: f.resultId ?? randomUUID(),
      deviceId: f.deviceId,
      observedAt: f.observedAt.toISOString(),
      source: 'attestation',
      kind: 'attestation',
      type: FACT_TYPE[f.type] ?? 'tpm',
      verdict: f.verdict,
      reason: f.reason,
      resultId: f.resultId,
    };
    await this.send(FactStreams.attestation, event);
  }

  /** A SIM sighting: the policy engine compares it with the registry (IMEI, ICCID or device key changed). */
  async publishSimSeen(deviceId: string, sim: SimEvidence, observedAt: Date, keySha256: string | null = null): Promise<void> {
    const event: SimSeenEvent = { version: 1, eventId: randomUUID(), deviceId, observedAt: observedAt.toISOString(), source: 'attestation', kind: 'sim-seen', iccid: sim.iccid, imsi: sim.imsi, imei: sim.imei, ...(keySha256 ? { keySha256 } : {}) };
    await this.send(FactStreams.simSeen, event);
  }

  private async send(subject: string, event: FactEvent): Promise<void> {
    try {
      await jetstream(this.nc).publish(subject, JSON.stringify(event), { msgID: event.eventId });
    } catch (e) {
      this.logger.warn(`${event.kind} fact for device ${event.deviceId} not published: ${(e as Error).message}`);
    }
  }
}
