import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { timestampColumnType } from '@iis/persistence';

/** An EST label: `/.well-known/est/<name>/…` and what enrollments under it need. */
@Entity({ name: 'onboarding_est_labels' })
export class EstLabelEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  name: string;

  @Column({ type: 'varchar', length: 16 })
  profile: 'device';

  /** Comma-separated, the preferred one first. */
  @Column({ type: 'varchar', length: 100 })
  keyTypes: string;

  @Column({ type: 'boolean' })
  requireProofOfPossession: boolean;

  @Column({ type: 'boolean' })
  requireApproval: boolean;

  @Column({ type: 'integer', nullable: true })
  maxTtlSeconds: number | null;

  @UpdateDateColumn({ type: timestampColumnType() })
  updatedAt: Date;

  @Column({ type: 'varchar', length: 200 })
  updatedBy: string;
}
