import { Column, CreateDateColumn, Index, PrimaryGeneratedColumn } from 'typeorm';
import { timestampColumnType } from './column-types';

/**
 * The columns every transactional outbox shares: a message written in the same transaction as
 * the change it announces, published afterwards. `msgId` makes a republish after a crash a
 * duplicate that JetStream drops. Each service keeps its own table (an @Entity extending this).
 */
export abstract class OutboxRow {
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
}
