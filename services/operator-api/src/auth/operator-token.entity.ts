import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import { timestampColumnType } from '@iis/persistence';

export type { Role as OperatorRole } from './permissions';
import type { Role as OperatorRole } from './permissions';

/** An operator API token, stored as SHA-256 of 256 random bits; shown once at creation. */
@Entity({ name: 'operator_tokens' })
export class OperatorTokenEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 32 })
  role: OperatorRole;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 64 })
  hash: string;

  @CreateDateColumn({ type: timestampColumnType() })
  createdAt: Date;

  @Column({ type: timestampColumnType(), nullable: true })
  expiresAt: Date | null;

  @Column({ type: timestampColumnType(), nullable: true })
  revokedAt: Date | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  createdBy: string | null;

  @Column({ type: timestampColumnType(), nullable: true })
  lastUsedAt: Date | null;
}
