import { Column, Entity, PrimaryColumn } from 'typeorm';
import { timestampColumnType } from '@iis/persistence';

/** What the engine knows about a device from fact events, and its trust state (with hysteresis). */
@Entity({ name: 'policy_device_trust' })
export class DeviceTrustEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  deviceId: string;

  /** JSON object, flat by fact name. */
  @Column({ type: 'text' })
  facts: string;

  @Column({ type: 'varchar', length: 16 })
  state: 'trusted' | 'quarantined' | 'denied';

  @Column({ type: 'real', nullable: true })
  score: number | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  lastDecisionId: string | null;

  @Column({ type: timestampColumnType() })
  updatedAt: Date;

  /** When the state last changed: quarantinedAt for a quarantined device. */
  @Column({ type: timestampColumnType(), nullable: true })
  stateChangedAt: Date | null;
}
