import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { migrationTypes } from '@iis/persistence';

export class PolicyInitial1732400000000 implements MigrationInterface {
  name = 'PolicyInitial1732400000000';

  async up(qr: QueryRunner): Promise<void> {
    const t = migrationTypes(qr);
    await qr.createTable(
      new Table({
        name: 'policy_decisions',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'deviceId', type: 'varchar', length: '36', isNullable: true },
          { name: 'action', type: 'varchar', length: '16' },
          { name: 'outcome', type: 'varchar', length: '16' },
          { name: 'ttlSeconds', type: 'integer' },
          { name: 'policyVersion', type: 'varchar', length: '64' },
          { name: 'reasons', type: 'text' },
          { name: 'createdAt', type: t.timestamp, default: 'CURRENT_TIMESTAMP' },
        ],
      }),
    );
    await qr.createIndex('policy_decisions', new TableIndex({ name: 'ix_policy_decisions_device', columnNames: ['deviceId', 'createdAt'] }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('policy_decisions');
  }
}
