import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { AttestationResultEvent, EvidenceType, FactStreams } from '@iis/contracts';
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
    try {
      await jetstream(this.nc).publish(FactStreams.attestation, JSON.stringify(event), { msgID: event.eventId });
    } catch (e) {
      this.logger.warn(`attestation fact for device ${f.deviceId} not published: ${(e as Error).message}`);
    }
  }
}
