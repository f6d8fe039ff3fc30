import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import { timestampColumnType } from '@iis/persistence';

/** A one-time enrollment secret, stored only as a keyed hash. */
@Entity({ name: 'onboarding_enrollment_secrets' })
export class EnrollmentSecretEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Index()
  @Column({ type: 'varchar', length: 36 })
  deviceId: string;

  /** HMAC-SHA256(key, secret), hex. */
  @Column({ type: 'varchar', length: 64 })
  hash: string;

  @CreateDateColumn({ type: timestampColumnType() })
  createdAt: Date;

  @Column({ type: timestampColumnType() })
  expiresAt: Date;

  @Column({ type: timestampColumnType(), nullable: true })
  consumedAt: Date | null;

  @Column({ type: 'varchar', length: 200 })
  createdBy: string;
}
