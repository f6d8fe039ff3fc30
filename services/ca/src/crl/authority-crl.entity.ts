import { Column, Entity, PrimaryColumn } from 'typeorm';
import { timestampColumnType } from '@iis/persistence';

/**
 * The root's latest CRL over the CAs it certified (an ARL). Kept because an offline root
 * cannot sign a new one: the CA serves the one signed before the key went offline.
 */
@Entity({ name: 'ca_authority_crls' })
export class AuthorityCrlEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  issuerId: string;

  /** base64 DER */
  @Column({ type: 'text' })
  crl: string;

  @Column({ type: 'integer' })
  crlNumber: number;

  @Column({ type: timestampColumnType() })
  thisUpdate: Date;

  @Column({ type: timestampColumnType() })
  nextUpdate: Date;
}
