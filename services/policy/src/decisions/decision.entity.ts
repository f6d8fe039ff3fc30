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

  /** Issue 7: the trust score, five-way outcome, fired rules (JSON), facts used (JSON), trigger. */
  @Column({ type: 'real', nullable: true })
  score: number | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  trustOutcome: string | null;

  @Column({ type: 'text', nullable: true })
  explanation: string | null;

  @Column({ type: 'text', nullable: true })
  facts: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  trigger: string | null;

  @CreateDateColumn({ type: timestampColumnType() })
  createdAt: Date;
}
