import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { migrationTypes } from '@iis/persistence';

/** Operator mTLS credentials: client certificates bound to a name and role. */
export class OperatorApiCertificates1732500000001 implements MigrationInterface {
  name = 'OperatorApiCertificates1732500000001';

  async up(qr: QueryRunner): Promise<void> {
    const t = migrationTypes(qr);
    await qr.createTable(
      new Table({
        name: 'operator_certificates',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'name', type: 'varchar', length: '100' },
          { name: 'role', type: 'varchar', length: '32' },
          { name: 'fingerprint', type: 'varchar', length: '64' },
          { name: 'serial', type: 'varchar', length: '64' },
          { name: 'subject', type: 'varchar', length: '512' },
          { name: 'notAfter', type: t.timestamp },
          { name: 'createdAt', type: t.timestamp },
          { name: 'createdBy', type: 'varchar', length: '100' },
          { name: 'revokedAt', type: t.timestamp, isNullable: true },
        ],
      }),
    );
    await qr.createIndex('operator_certificates', new TableIndex({ name: 'IDX_opcert_fingerprint', columnNames: ['fingerprint'] }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('operator_certificates');
  }
}
