import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { crashPoint } from '../fault-injection';
import { OutboxRelayService } from '../outbox/outbox-relay.service';
import { SigningKeyService } from '../signing/signing-key.service';
import { RevocationBatch, writeRevocations, WrittenRevocations } from './revocation-log-writer';

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
    // Before the transaction: without a valid signing certificate nothing is written.
    const signer = this.signing.signer();
    const turn = this.queue.catch(() => undefined).then(() => this.ds.transaction((em) => writeRevocations(em, batch, signer)));
    this.queue = turn;
    const written = await turn;
    crashPoint('crash-after-outbox-commit');
    if (written.revoked.length > 0) await this.relay.kick();
    return written;
  }
}
