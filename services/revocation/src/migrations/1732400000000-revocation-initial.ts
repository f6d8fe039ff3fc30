import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { migrationTypes } from '@iis/persistence';

export class RevocationInitial1732400000000 implements MigrationInterface {
  name = 'RevocationInitial1732400000000';

  async up(qr: QueryRunner): Promise<void> {
    const t = migrationTypes(qr);
    await qr.createTable(
      new Table({
        name: 'revocation_log',
        columns: [
          { name: 'sequence', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'serial', type: 'varchar', length: '64', isUnique: true },
          { name: 'issuerId', type: 'varchar', length: '64' },
          { name: 'reason', type: 'varchar', length: '32' },
          { name: 'revokedAt', type: t.timestamp },
          { name: 'notAfter', type: t.timestamp },
          { name: 'deviceId', type: 'varchar', length: '36', isNullable: true },
          { name: 'iccid', type: 'varchar', length: '22', isNullable: true },
          { name: 'cause', type: 'varchar', length: '500' },
          { name: 'actor', type: 'varchar', length: '200' },
          { name: 'createdAt', type: t.timestamp, default: 'CURRENT_TIMESTAMP' },
        ],
      }),
    );
    await qr.createIndex('revocation_log', new TableIndex({ name: 'ix_revocation_log_iccid', columnNames: ['iccid'] }));
    await qr.createTable(
      new Table({
        name: 'revocation_outbox',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'subject', type: 'varchar', length: '200' },
          { name: 'msgId', type: 'varchar', length: '100', isUnique: true },
          { name: 'payload', type: 'text' },
          { name: 'createdAt', type: t.timestamp, default: 'CURRENT_TIMESTAMP' },
          { name: 'publishedAt', type: t.timestamp, isNullable: true },
        ],
      }),
    );
    await qr.createIndex('revocation_outbox', new TableIndex({ name: 'ix_revocation_outbox_unpublished', columnNames: ['publishedAt'] }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('revocation_outbox');
    await qr.dropTable('revocation_log');
  }
}
