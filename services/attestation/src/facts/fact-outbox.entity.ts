import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { timestampColumnType } from '@iis/persistence';

/**
 * Attestation facts waiting for the facts stream: written in the transaction that stores the
 * result they announce (or on their own for a SIM sighting), deleted once JetStream took them.
 * `msgId` (the event id) makes a second publish a duplicate JetStream drops.
 */
@Entity({ name: 'attestation_fact_outbox' })
export class FactOutboxEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'varchar', length: 200 })
  subject: string;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 100 })
  msgId: string;

  @Column({ type: 'text' })
  payload: string;

  @Index()
  @CreateDateColumn({ type: timestampColumnType() })
  createdAt: Date;
}
