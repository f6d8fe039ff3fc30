import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import { timestampColumnType } from '@iis/persistence';

/** A nonce bound to one device: short-lived and single-use. */
@Entity({ name: 'attestation_challenges' })
export class ChallengeEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Index()
  @Column({ type: 'varchar', length: 36 })
  deviceId: string;

  /** SHA-256 of the nonce, hex: the nonce itself is only ever held by the device. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 64 })
  nonceHash: string;

  @CreateDateColumn({ type: timestampColumnType() })
  createdAt: Date;

  @Column({ type: timestampColumnType() })
  expiresAt: Date;

  @Column({ type: timestampColumnType(), nullable: true })
  consumedAt: Date | null;

  /** Credential activation: the Name (hex) of the AK the credential was made for. */
  @Column({ type: 'varchar', length: 140, nullable: true })
  akName: string | null;

  /** SHA-256 (hex) of the credential only the device's TPM can release. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  credentialHash: string | null;
}
