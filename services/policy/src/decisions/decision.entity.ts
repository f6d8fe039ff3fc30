import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import { timestampColumnType } from '@iis/persistence';

/** Every decision is stored with its reasons and the policy version that made it. */
@Entity({ name: 'policy_decisions' })
export class DecisionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Index()
  @Column({ type: 'varchar', length: 36, nullable: true })
  deviceId: string | null;

  @Column({ type: 'varchar', length: 16 })
  action: string;

  @Column({ type: 'varchar', length: 16 })
  outcome: string;

  @Column({ type: 'integer' })
  ttlSeconds: number;

  @Column({ type: 'varchar', length: 64 })
  policyVersion: string;

  /** JSON array of strings */
  @Column({ type: 'text' })
  reasons: string;

  @CreateDateColumn({ type: timestampColumnType() })
  createdAt: Date;
}
