import { Column, Entity, PrimaryColumn } from 'typeorm';
import { timestampColumnType } from '@iis/persistence';

/** The last heartbeat of each gateway agent. */
@Entity({ name: 'revocation_agents' })
export class AgentStatusEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  name: string;

  @Column({ type: 'integer' })
  lastStreamSequence: number;

  @Column({ type: 'integer' })
  revokedCount: number;

  @Column({ type: 'integer' })
  rejected: number;

  @Column({ type: timestampColumnType() })
  lastSeenAt: Date;
}
