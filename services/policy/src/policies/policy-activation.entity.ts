import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { timestampColumnType } from '@iis/persistence';

/**
 * Append-only activation history: the latest row names the active policy. Each row is an
 * audit entry (actor, time, from which version to which) for the shared audit trail.
 */
@Entity({ name: 'policy_activations' })
export class PolicyActivationEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'integer' })
  version: number;

  @Column({ type: 'integer', nullable: true })
  previousVersion: number | null;

  @Column({ type: 'varchar', length: 16 })
  kind: 'bootstrap' | 'activate' | 'rollback';

  @Column({ type: 'varchar', length: 200 })
  actor: string;

  @Column({ type: 'varchar', length: 400, nullable: true })
  reason: string | null;

  @Column({ type: timestampColumnType() })
  activatedAt: Date;
}
