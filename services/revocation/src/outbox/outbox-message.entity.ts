import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { timestampColumnType } from '@iis/persistence';

/**
 * Transactional outbox: written in the same transaction as the revocation it announces,
 * published afterwards by the relay. `msgId` makes a republish after a crash a duplicate
 * that JetStream drops.
 */
@Entity({ name: 'revocation_outbox' })
export class OutboxMessageEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'varchar', length: 200 })
  subject: string;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 100 })
  msgId: string;

  @Column({ type: 'text' })
  payload: string;

  @CreateDateColumn({ type: timestampColumnType() })
  createdAt: Date;

  @Index()
  @Column({ type: timestampColumnType(), nullable: true })
  publishedAt: Date | null;
}
