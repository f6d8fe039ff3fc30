import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { RevocationSigner } from '@iis/revocation-client';
import { crashPoint } from '../fault-injection';
import { OutboxRelayService } from '../outbox/outbox-relay.service';
import { revocationsCommitted } from '../revocation.metrics';
import { SigningKeyService } from '../signing/signing-key.service';
import { ReleaseBatch, RevocationBatch, writeReleases, writeRevocations, WrittenRevocations } from './revocation-log-writer';

/**
 * The one way a command revokes: revocations and their events committed together (the
 * outbox), then the relay asked to publish. Every revocation command goes through here.
 */
@Injectable()
export class RevocationCommitter {
  /**
   * Commits run one after another in this process: SQLite has one connection, on which two
   * transactions at once fail ("cannot start a transaction within a transaction"), and log
   * sequences then also commit in the order they were taken.
   */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly relay: OutboxRelayService,
    private readonly signing: SigningKeyService,
  ) {}

  async commit(batch: RevocationBatch): Promise<WrittenRevocations> {
    const written = await this.inTurn((em, signer) => writeRevocations(em, batch, signer));
    revocationsCommitted.inc(written.revoked.length);
    crashPoint('crash-after-outbox-commit');
    if (written.revoked.length > 0) await this.relay.kick();
    return written;
  }

  /** Releases the holds of a SIM's certificates (removeFromCRL events), like `commit`. */
  async release(batch: ReleaseBatch): Promise<WrittenRevocations['revoked']> {
    const released = await this.inTurn((em, signer) => writeReleases(em, batch, signer));
    if (released.length > 0) await this.relay.kick();
    return released;
  }

  private inTurn<T>(work: (em: EntityManager, signer: RevocationSigner) => Promise<T>): Promise<T> {
    // Before the transaction: without a valid signing certificate nothing is written.
    const signer = this.signing.signer();
    const turn = this.queue.catch(() => undefined).then(() => this.ds.transaction((em) => work(em, signer)));
    this.queue = turn;
    return turn;
  }
}
