import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AckPolicy, ConsumerMessages, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { DataSource, IsNull } from 'typeorm';
import { CaConfig } from '@iis/config';
import { RevocationEvent, RevocationReasons, Streams } from '@iis/contracts';
import { connectNats, ensureRevocationStream } from '@iis/messaging';
import { RevocationSignatureVerifier, validateRevocationEvent } from '@iis/revocation-client';
import type { EventValidation } from '@iis/revocation-client';
import { HierarchyService } from '../hierarchy/hierarchy.service';
import { CA_CONFIG } from '../ca.tokens';
import { CrlService } from '../crl/crl.service';
import { OcspService } from '../ocsp/ocsp.service';
import { StreamPositionEntity } from '../crl/crl-state.entity';
import { CertificateEntity } from '../issuance/certificate.entity';

const DURABLE = 'iis-ca';

/**
 * The CA learns of revocations from the stream, like every other subscriber, and marks
 * its certificates so CRLs include them. The durable consumer is shared by every CA
 * instance; applying an event twice changes nothing (`revokedAt IS NULL` guard).
 */
@Injectable()
export class RevocationConsumerService implements OnApplicationShutdown {
  private readonly logger = new Logger('ca.revocations');
  private nc: NatsConnection | undefined;
  private messages: ConsumerMessages | undefined;
  /** Signed events only (issue 5): a forged event must not reach a CRL or an OCSP answer. */
  private readonly verifier = new RevocationSignatureVerifier(() => new Date());
  private trustedChain: Buffer[] | undefined;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(CA_CONFIG) private readonly config: CaConfig,
    private readonly crls: CrlService,
    private readonly ocsp: OcspService,
    private readonly hierarchy: HierarchyService,
  ) {}

  /** Shape and signature (the signer chains to this CA's own hierarchy); the reason when not. */
  private check(data: Uint8Array, subject: string): EventValidation | { ok: false; code: string; detail: string } {
    const checked = validateRevocationEvent(data, subject);
    if (!checked.ok) return checked;
    const chain = this.hierarchy.caChain();
    if (chain !== this.trustedChain) {
      this.verifier.setTrust(chain);
      this.trustedChain = chain;
    }
    const signed = this.verifier.verifyEvent(checked.event, checked.signature);
    return signed.ok ? checked : signed;
  }

  async start(): Promise<void> {
    this.nc = await connectNats(this.config.natsUrl, 'iis-ca-revocations');
    await ensureRevocationStream(this.nc);
    const jsm = await jetstreamManager(this.nc);
    try {
      await jsm.consumers.info(Streams.revocations.name, DURABLE);
    } catch {
      await jsm.consumers.add(Streams.revocations.name, { durable_name: DURABLE, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All });
    }
    // Every instance also listens to the events directly (no queue): its OCSP cache and CRLs
    // follow a revocation even when another instance's durable consumer applied it.
    this.nc.subscribe(Streams.revocations.subjects[0], {
      callback: (err, m) => {
        if (err) return;
        const checked = this.check(m.data, m.subject);
        if (!checked.ok || !('event' in checked)) return;
        const e = checked.event;
        this.toCaches(e);
        this.crls.invalidate(e.issuerId, 500);
      },
    });
    const consumer = await jetstream(this.nc).consumers.get(Streams.revocations.name, DURABLE);
    this.messages = await consumer.consume();
    void (async () => {
      for await (const m of this.messages!) {
        const checked = this.check(m.data, m.subject);
        if (!checked.ok || !('event' in checked)) {
          // A malformed, unsigned or forged event will never apply: drop it for good instead of redelivering it.
          this.logger.warn(`revocation event seq=${m.seq} rejected: ${checked.code} ${checked.detail}`);
          m.term();
          continue;
        }
        try {
          await this.apply(checked.event, m.seq);
          m.ack();
        } catch (e) {
          this.logger.error(`revocation event seq=${m.seq} not applied: ${(e as Error).message}`);
          m.nak(1000);
        }
      }
    })();
  }

  private async apply(event: RevocationEvent, seq: number): Promise<void> {
    const reason = RevocationReasons[event.reason] ?? 0;
    const serial = String(event.serial).toLowerCase();
    await this.ds.transaction(async (em) => {
      const update = em.createQueryBuilder().update(CertificateEntity);
      if (event.reason === 'removeFromCRL') {
        // RFC 5280 5.3.1: removeFromCRL ends a certificateHold, and only a hold.
        await update.set({ revokedAt: null, revocationReason: null }).where({ serial, revocationReason: RevocationReasons.certificateHold }).execute();
      } else {
        // A hold may become a revocation for good (RFC 5280 5.3.1); anything else revoked stays as first revoked.
        const replaceable = event.reason === 'certificateHold' ? [{ serial, revokedAt: IsNull() }] : [{ serial, revokedAt: IsNull() }, { serial, revocationReason: RevocationReasons.certificateHold }];
        await update.set({ revokedAt: new Date(event.revokedAt), revocationReason: reason }).where(replaceable).execute();
      }
      const pos = (await em.findOneBy(StreamPositionEntity, { id: 'revocations' })) ?? em.create(StreamPositionEntity, { id: 'revocations', sequence: 0 });
      if (seq > pos.sequence) {
        pos.sequence = seq;
        await em.save(pos);
      }
    });
    this.toCaches(event);
    this.crls.invalidate(event.issuerId);
  }

  /** The OCSP answers follow the event at once, on every instance. */
  private toCaches(e: RevocationEvent): void {
    const serial = String(e.serial).toLowerCase();
    if (e.reason === 'removeFromCRL') this.ocsp.released(e.issuerId, serial);
    else this.ocsp.revoked(e.issuerId, serial, new Date(e.revokedAt), RevocationReasons[e.reason] ?? 0);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.messages?.close();
    await this.nc?.drain().catch(() => undefined);
  }
}
