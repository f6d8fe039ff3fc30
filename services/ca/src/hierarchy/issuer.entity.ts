import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { timestampColumnType } from '@iis/persistence';

/** A CA certificate of the hierarchy (root or issuing) and its key, encrypted at rest. */
@Entity({ name: 'ca_issuers' })
export class IssuerEntity {
  /** Subject-safe id (no dots): it names the issuer's revocation subject and CRL URL. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id: string;

  @Column({ type: 'varchar', length: 16 })
  kind: 'root' | 'issuing';

  @Column({ type: 'varchar', length: 64, nullable: true })
  parentId: string | null;

  @Column({ type: 'varchar', length: 16 })
  keyAlgorithm: string;

  /** base64 DER */
  @Column({ type: 'text' })
  certificate: string;

  /** PKCS#8 PEM with PBES2; null once the key has been taken offline (an offline root). */
  @Column({ type: 'text', nullable: true })
  encryptedKey: string | null;

  /** "pkcs11:<CKA_ID hex>" when the key is held in the configured PKCS#11 token (never leaves it). */
  @Column({ type: 'varchar', length: 128, nullable: true })
  keyReference?: string | null;

  @Column({ type: timestampColumnType() })
  notBefore: Date;

  @Column({ type: timestampColumnType() })
  notAfter: Date;

  @CreateDateColumn({ type: timestampColumnType() })
  createdAt: Date;

  /** Set when a newer issuing CA takes over; certificates it issued stay valid and revocable. */
  @Column({ type: timestampColumnType(), nullable: true })
  retiredAt: Date | null;
}
