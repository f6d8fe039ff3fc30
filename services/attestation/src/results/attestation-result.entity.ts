import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { EvidenceType } from '@iis/contracts';
import { timestampColumnType } from '@iis/persistence';

/** A verified attestation result; a pass is spent once (`usedAt`) by the enrollment it authorizes. */
@Entity({ name: 'attestation_results' })
export class AttestationResultEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Index()
  @Column({ type: 'varchar', length: 36 })
  deviceId: string;

  @Column({ type: 'varchar', length: 16 })
  evidenceType: EvidenceType;

  @Column({ type: 'varchar', length: 8 })
  verdict: 'pass' | 'fail';

  /** The verifier's reason code when the evidence failed. */
  @Column({ type: 'varchar', length: 40, nullable: true })
  reasonCode: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  reason: string | null;

  /** JSON object of claims. */
  @Column({ type: 'text' })
  claims: string;

  /** Compact JWS (ES256) of the result. */
  @Column({ type: 'text' })
  token: string;

  @Column({ type: timestampColumnType() })
  issuedAt: Date;

  @Column({ type: timestampColumnType() })
  expiresAt: Date;

  @Column({ type: timestampColumnType(), nullable: true })
  usedAt: Date | null;

  /** The redemption that spent it (one enrollment attempt); only it may release the result. */
  @Column({ type: 'varchar', length: 36, nullable: true })
  usedBy: string | null;
}
