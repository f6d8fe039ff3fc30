import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { timestampColumnType } from '@iis/persistence';

/** The durable revocation log: one row per revoked certificate, in order. */
@Entity({ name: 'revocation_log' })
export class RevocationEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  sequence: number;

  /**
   * A certificate is revoked once; revoking it again changes nothing. A hold may be released
   * (a removeFromCRL row) and put on again, so one serial may have several rows.
   */
  @Index()
  @Column({ type: 'varchar', length: 64 })
  serial: string;

  @Column({ type: 'varchar', length: 64 })
  issuerId: string;

  @Column({ type: 'varchar', length: 32 })
  reason: string;

  @Column({ type: timestampColumnType() })
  revokedAt: Date;

  @Column({ type: timestampColumnType() })
  notAfter: Date;

  @Column({ type: 'varchar', length: 36, nullable: true })
  deviceId: string | null;

  @Column({ type: 'varchar', length: 22, nullable: true })
  iccid: string | null;

  @Column({ type: 'varchar', length: 500 })
  cause: string;

  @Column({ type: 'varchar', length: 200 })
  actor: string;

  /** The certificate's subject CN (the device serial), carried by its events. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  subjectCommonName: string | null;

  /** Set on a certificateHold row when a later removeFromCRL row released it. */
  @Column({ type: timestampColumnType(), nullable: true })
  releasedAt: Date | null;

  @CreateDateColumn({ type: timestampColumnType() })
  createdAt: Date;
}
