import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { DeviceStatus } from '@iis/contracts';
import { timestampColumnType } from '@iis/persistence';

@Entity({ name: 'onboarding_devices' })
export class DeviceEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 64, unique: true })
  serial: string;

  @Column({ type: 'varchar', length: 64 })
  deviceClass: string;

  @Column({ type: 'varchar', length: 16 })
  status: DeviceStatus;

  @CreateDateColumn({ type: timestampColumnType() })
  createdAt: Date;

  @Column({ type: timestampColumnType(), nullable: true })
  firstEnrolledAt: Date | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  manufacturer: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  firmwareVersion: string | null;
}
