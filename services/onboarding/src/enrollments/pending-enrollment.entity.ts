import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { PendingStatus } from '@iis/contracts';
import { timestampColumnType } from '@iis/persistence';

/** An enrollment waiting for an operator (EST 202): the device retries with the same CSR. */
@Entity({ name: 'onboarding_pending_enrollments' })
@Index('ix_onboarding_pending_device', ['deviceId', 'label', 'csrSha256'])
export class PendingEnrollmentEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 36 })
  deviceId: string;

  @Column({ type: 'varchar', length: 64 })
  label: string;

  @Column({ type: 'varchar', length: 64 })
  csrSha256: string;

  @Column({ type: 'varchar', length: 16 })
  status: PendingStatus;

  @CreateDateColumn({ type: timestampColumnType() })
  createdAt: Date;

  @Column({ type: timestampColumnType(), nullable: true })
  decidedAt: Date | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  decidedBy: string | null;
}
