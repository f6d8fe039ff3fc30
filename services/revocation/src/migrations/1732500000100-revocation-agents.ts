import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { migrationTypes } from '@iis/persistence';

export class RevocationAgents1732500000100 implements MigrationInterface {
  name = 'RevocationAgents1732500000100';

  async up(qr: QueryRunner): Promise<void> {
    const t = migrationTypes(qr);
    await qr.createTable(
      new Table({
        name: 'revocation_agents',
        columns: [
          { name: 'name', type: 'varchar', length: '64', isPrimary: true },
          { name: 'lastStreamSequence', type: 'integer' },
          { name: 'revokedCount', type: 'integer' },
          { name: 'rejected', type: 'integer' },
          { name: 'lastSeenAt', type: t.timestamp },
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('revocation_agents');
  }
}
