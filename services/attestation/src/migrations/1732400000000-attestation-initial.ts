import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { migrationTypes } from '@iis/persistence';

export class AttestationInitial1732400000000 implements MigrationInterface {
  name = 'AttestationInitial1732400000000';

  async up(qr: QueryRunner): Promise<void> {
    const t = migrationTypes(qr);
    await qr.createTable(
      new Table({
        name: 'attestation_challenges',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'deviceId', type: 'varchar', length: '36' },
          { name: 'nonceHash', type: 'varchar', length: '64', isUnique: true },
          { name: 'createdAt', type: t.timestamp, default: 'CURRENT_TIMESTAMP' },
          { name: 'expiresAt', type: t.timestamp },
          { name: 'consumedAt', type: t.timestamp, isNullable: true },
        ],
      }),
    );
    await qr.createIndex('attestation_challenges', new TableIndex({ name: 'ix_attestation_challenges_device', columnNames: ['deviceId'] }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('attestation_challenges');
  }
}
