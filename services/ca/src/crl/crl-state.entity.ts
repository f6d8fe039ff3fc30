import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Per issuer: the last CRL number used and how far into the revocation stream the CA has
 * applied. Both only grow; the CRL number is taken in the same transaction that reads it.
 */
@Entity({ name: 'ca_crl_state' })
export class CrlStateEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  issuerId: string;

  @Column({ type: 'integer', default: 0 })
  crlNumber: number;
}

/** How far the CA has applied the revocation stream (one row, id 'revocations'). */
@Entity({ name: 'ca_stream_position' })
export class StreamPositionEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  id: string;

  @Column({ type: 'integer', default: 0 })
  sequence: number;
}
