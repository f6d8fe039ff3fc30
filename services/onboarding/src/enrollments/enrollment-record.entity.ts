import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import { timestampColumnType } from '@iis/persistence';

/** Every enrollment attempt that got past transport: who asked, what allowed or refused it. */
@Entity({ name: 'onboarding_enrollments' })
export class EnrollmentRecordEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Index()
  @Column({ type: 'varchar', length: 36, nullable: true })
  deviceId: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  claimedSerial: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  sourceAddress: string | null;

  @Column({ type: 'varchar', length: 32 })
  operation: string;

  @Column({ type: 'varchar', length: 32, nullable: true })
  authorizer: string | null;

  @Column({ type: 'varchar', length: 16 })
  outcome: 'issued' | 'refused' | 'failed' | 'pending';

  @Column({ type: 'varchar', length: 32, nullable: true })
  errorCode: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  reason: string | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  decisionId: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  certificateSerial: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  label: string | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  attestationId: string | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  pendingId: string | null;

  /** Subject of the TLS client certificate the request came with, if any. */
  @Column({ type: 'varchar', length: 300, nullable: true })
  clientCertificate: string | null;

  @CreateDateColumn({ type: timestampColumnType() })
  createdAt: Date;
}
