import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { migrationTypes } from '@iis/persistence';

export class OperatorApiInitial1732400000000 implements MigrationInterface {
  name = 'OperatorApiInitial1732400000000';

  async up(qr: QueryRunner): Promise<void> {
    const t = migrationTypes(qr);
    await qr.createTable(
      new Table({
        name: 'operator_tokens',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'name', type: 'varchar', length: '100' },
          { name: 'role', type: 'varchar', length: '32' },
          { name: 'hash', type: 'varchar', length: '64', isUnique: true },
          { name: 'createdAt', type: t.timestamp, default: 'CURRENT_TIMESTAMP' },
          { name: 'expiresAt', type: t.timestamp, isNullable: true },
          { name: 'revokedAt', type: t.timestamp, isNullable: true },
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('operator_tokens');
  }
}
