import { Column, Entity, PrimaryColumn } from 'typeorm';
import { timestampColumnType } from '@iis/persistence';

/** Every uploaded policy document, immutable once stored; versions count up from 1. */
@Entity({ name: 'policy_versions' })
export class PolicyVersionEntity {
  @PrimaryColumn({ type: 'integer' })
  version: number;

  @Column({ type: 'varchar', length: 64 })
  name: string;

  /** The document as uploaded (JSON). */
  @Column({ type: 'text' })
  document: string;

  @Column({ type: 'varchar', length: 64 })
  sha256: string;

  @Column({ type: 'varchar', length: 200 })
  uploadedBy: string;

  @Column({ type: timestampColumnType() })
  uploadedAt: Date;
}
