import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { crashPoint } from '../fault-injection';
import { OutboxRelayService } from '../outbox/outbox-relay.service';
import { revocationsCommitted } from '../revocation.metrics';
import { RevocationBatch, writeRevocations, WrittenRevocations } from './revocation-log-writer';

/**
 * The one way a command revokes: revocations and their events committed together (the
 * outbox), then the relay asked to publish. Every revocation command goes through here.
 */
@Injectable()
export class RevocationCommitter {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly relay: OutboxRelayService,
  ) {}

  async commit(batch: RevocationBatch): Promise<WrittenRevocations> {
    const written = await this.ds.transaction((em) => writeRevocations(em, batch));
    revocationsCommitted.inc(written.revoked.length);
    crashPoint('crash-after-outbox-commit');
    if (written.revoked.length > 0) await this.relay.kick();
    return written;
  }
}
