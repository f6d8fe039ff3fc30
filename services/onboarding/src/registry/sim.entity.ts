import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { SimStatus } from '@iis/contracts';
import { timestampColumnType } from '@iis/persistence';

/** A SIM and the device it is bound to (one device per SIM). */
@Entity({ name: 'onboarding_sims' })
export class SimEntity {
  @PrimaryColumn({ type: 'varchar', length: 22 })
  iccid: string;

  @Column({ type: 'varchar', length: 15 })
  imsi: string;

  @Column({ type: 'varchar', length: 15 })
  imei: string;

  @Column({ type: 'varchar', length: 16 })
  status: SimStatus;

  @Column({ type: 'varchar', length: 36, nullable: true, unique: true })
  deviceId: string | null;

  @CreateDateColumn({ type: timestampColumnType() })
  createdAt: Date;

  @Column({ type: timestampColumnType(), nullable: true })
  lostAt: Date | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  lostReason: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  lostBy: string | null;

  /** SHA-256 (hex) of the SPKI of the key of the last certificate issued through this SIM. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  keySha256: string | null;

  @Column({ type: timestampColumnType(), nullable: true })
  keyBoundAt: Date | null;
}
