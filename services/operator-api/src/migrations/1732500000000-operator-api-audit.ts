import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { migrationTypes } from '@iis/persistence';

/** The hash-chained audit trail, and who created each token. */
export class OperatorApiAudit1732500000000 implements MigrationInterface {
  name = 'OperatorApiAudit1732500000000';

  async up(qr: QueryRunner): Promise<void> {
    const t = migrationTypes(qr);
    await qr.createTable(
      new Table({
        name: 'audit_entries',
        columns: [
          { name: 'seq', type: 'integer', isPrimary: true },
          { name: 'at', type: t.timestamp },
          { name: 'actorId', type: 'varchar', length: '36' },
          { name: 'actor', type: 'varchar', length: '100' },
          { name: 'role', type: 'varchar', length: '32' },
          { name: 'action', type: 'varchar', length: '100' },
          { name: 'target', type: 'varchar', length: '300', isNullable: true },
          { name: 'device', type: 'varchar', length: '64', isNullable: true },
          { name: 'reason', type: 'varchar', length: '400', isNullable: true },
          { name: 'outcome', type: 'varchar', length: '16' },
          { name: 'status', type: 'integer' },
          { name: 'detail', type: 'varchar', length: '300', isNullable: true },
          { name: 'prevHash', type: 'varchar', length: '64' },
          { name: 'hash', type: 'varchar', length: '64' },
        ],
      }),
    );
    // Export filters walk these by (column, seq) so a million rows page as fast as ten.
    await qr.createIndex('audit_entries', new TableIndex({ name: 'IDX_audit_at_seq', columnNames: ['at', 'seq'] }));
    await qr.createIndex('audit_entries', new TableIndex({ name: 'IDX_audit_device_seq', columnNames: ['device', 'seq'] }));
    await qr.createIndex('audit_entries', new TableIndex({ name: 'IDX_audit_actor_seq', columnNames: ['actor', 'seq'] }));
    await qr.addColumn('operator_tokens', new TableColumn({ name: 'createdBy', type: 'varchar', length: '100', isNullable: true }));
    await qr.addColumn('operator_tokens', new TableColumn({ name: 'lastUsedAt', type: t.timestamp, isNullable: true }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('operator_tokens', 'lastUsedAt');
    await qr.dropColumn('operator_tokens', 'createdBy');
    await qr.dropTable('audit_entries');
  }
}
