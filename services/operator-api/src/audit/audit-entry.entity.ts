import { Column, Entity, PrimaryColumn } from 'typeorm';
import { timestampColumnType } from '@iis/persistence';
import type { AuditOutcome } from './audit-chain';

/** One link of the audit chain (see audit-chain.ts). Append-only: nothing updates or deletes rows. */
@Entity({ name: 'audit_entries' })
export class AuditEntryEntity {
  @PrimaryColumn({ type: 'integer' })
  seq: number;

  @Column({ type: timestampColumnType() })
  at: Date;

  @Column({ type: 'varchar', length: 36 })
  actorId: string;

  @Column({ type: 'varchar', length: 100 })
  actor: string;

  @Column({ type: 'varchar', length: 32 })
  role: string;

  @Column({ type: 'varchar', length: 100 })
  action: string;

  @Column({ type: 'varchar', length: 300, nullable: true })
  target: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  device: string | null;

  @Column({ type: 'varchar', length: 400, nullable: true })
  reason: string | null;

  @Column({ type: 'varchar', length: 16 })
  outcome: AuditOutcome;

  @Column({ type: 'integer' })
  status: number;

  @Column({ type: 'varchar', length: 300, nullable: true })
  detail: string | null;

  @Column({ type: 'varchar', length: 64 })
  prevHash: string;

  @Column({ type: 'varchar', length: 64 })
  hash: string;
}
