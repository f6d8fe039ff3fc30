import { Column, Entity, Index } from 'typeorm';
import { OutboxRow, timestampColumnType } from '@iis/persistence';

/** The revocation outbox: written with the revocation it announces, published in log order by the relay. */
@Entity({ name: 'revocation_outbox' })
export class OutboxMessageEntity extends OutboxRow {
  @Index()
  @Column({ type: timestampColumnType(), nullable: true })
  publishedAt: Date | null;
}
