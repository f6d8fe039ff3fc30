import { Column, Entity, PrimaryColumn } from 'typeorm';
import { timestampColumnType } from '@iis/persistence';
import type { Role } from '../auth/permissions';

/** A client certificate from the suite's CA, bound by a security-admin to an operator name and role. */
@Entity({ name: 'operator_certificates' })
export class OperatorCertificateEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 32 })
  role: Role;

  /** SHA-256 of the certificate's DER, lower-case hex. */
  @Column({ type: 'varchar', length: 64 })
  fingerprint: string;

  @Column({ type: 'varchar', length: 64 })
  serial: string;

  @Column({ type: 'varchar', length: 512 })
  subject: string;

  @Column({ type: timestampColumnType() })
  notAfter: Date;

  @Column({ type: timestampColumnType() })
  createdAt: Date;

  @Column({ type: 'varchar', length: 100 })
  createdBy: string;

  @Column({ type: timestampColumnType(), nullable: true })
  revokedAt: Date | null;
}
