import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { CertificateSummary } from '@iis/contracts';
import { timestampColumnType } from '@iis/persistence';

/** Every certificate the CA has issued; lifecycle as timestamps (notAfter, revokedAt). */
@Entity({ name: 'ca_certificates' })
export class CertificateEntity {
  /** Lower-case hex, no leading zero octet. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  serial: string;

  @Column({ type: 'varchar', length: 64 })
  issuerId: string;

  @Column({ type: 'varchar', length: 16 })
  profile: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  deviceId: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  iccid: string | null;

  @Column({ type: 'varchar', length: 512 })
  subject: string;

  @Column({ type: timestampColumnType() })
  notBefore: Date;

  @Column({ type: timestampColumnType() })
  notAfter: Date;

  @Column({ type: timestampColumnType(), nullable: true })
  revokedAt: Date | null;

  /** RFC 5280 CRLReason code; null while not revoked. */
  @Column({ type: 'integer', nullable: true })
  revocationReason: number | null;

  /** base64 DER */
  @Column({ type: 'text' })
  der: string;

  @CreateDateColumn({ type: timestampColumnType() })
  createdAt: Date;

  /** The requester's idempotency key (IssueCertificateRequest.idempotencyKey); unique where set. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  idempotencyKey: string | null;

  /** The attestation result this certificate's issuance rested on (read and checked by id). */
  @Column({ type: 'varchar', length: 36, nullable: true })
  attestationResultId: string | null;
}

/** The columns certificateSummary reads: queries for summaries leave the DER behind. */
export const SUMMARY_COLUMNS = ['c.serial', 'c.issuerId', 'c.deviceId', 'c.iccid', 'c.subject', 'c.notBefore', 'c.notAfter', 'c.revokedAt', 'c.createdAt', 'c.attestationResultId'];

/** The contract view of a stored certificate. */
export function certificateSummary(c: CertificateEntity): CertificateSummary {
  return {
    serial: c.serial,
    issuerId: c.issuerId,
    deviceId: c.deviceId,
    iccid: c.iccid,
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    revokedAt: c.revokedAt ? c.revokedAt.toISOString() : null,
    subjectCommonName: /(?:^|, )CN=([^,]+)/.exec(c.subject)?.[1] ?? null,
    attestationResultId: c.attestationResultId ?? null,
  };
}
