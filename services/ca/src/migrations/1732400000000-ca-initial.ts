import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { migrationTypes } from '@iis/persistence';

export class CaInitial1732400000000 implements MigrationInterface {
  name = 'CaInitial1732400000000';

  async up(qr: QueryRunner): Promise<void> {
    const t = migrationTypes(qr);
    await qr.createTable(
      new Table({
        name: 'ca_issuers',
        columns: [
          { name: 'id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'parentId', type: 'varchar', length: '64', isNullable: true },
          { name: 'keyAlgorithm', type: 'varchar', length: '16' },
          { name: 'certificate', type: 'text' },
          { name: 'encryptedKey', type: 'text', isNullable: true },
          { name: 'notBefore', type: t.timestamp },
          { name: 'notAfter', type: t.timestamp },
          { name: 'createdAt', type: t.timestamp, default: 'CURRENT_TIMESTAMP' },
          { name: 'retiredAt', type: t.timestamp, isNullable: true },
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'ca_certificates',
        columns: [
          { name: 'serial', type: 'varchar', length: '64', isPrimary: true },
          { name: 'issuerId', type: 'varchar', length: '64' },
          { name: 'profile', type: 'varchar', length: '16' },
          { name: 'deviceId', type: 'varchar', length: '64', isNullable: true },
          { name: 'iccid', type: 'varchar', length: '32', isNullable: true },
          { name: 'subject', type: 'varchar', length: '512' },
          { name: 'notBefore', type: t.timestamp },
          { name: 'notAfter', type: t.timestamp },
          { name: 'revokedAt', type: t.timestamp, isNullable: true },
          { name: 'revocationReason', type: 'integer', isNullable: true },
          { name: 'der', type: 'text' },
          { name: 'createdAt', type: t.timestamp, default: 'CURRENT_TIMESTAMP' },
        ],
      }),
    );
    await qr.createIndex('ca_certificates', new TableIndex({ name: 'ix_ca_certificates_device', columnNames: ['deviceId'] }));
    await qr.createIndex('ca_certificates', new TableIndex({ name: 'ix_ca_certificates_iccid', columnNames: ['iccid'] }));
    await qr.createIndex('ca_certificates', new TableIndex({ name: 'ix_ca_certificates_issuer_revoked', columnNames: ['issuerId', 'revokedAt'] }));
    await qr.createIndex('ca_certificates', new TableIndex({ name: 'ix_ca_certificates_not_after', columnNames: ['notAfter'] }));
    await qr.createTable(
      new Table({
        name: 'ca_crl_state',
        columns: [
          { name: 'issuerId', type: 'varchar', length: '64', isPrimary: true },
          { name: 'crlNumber', type: 'integer', default: 0 },
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'ca_stream_position',
        columns: [
          { name: 'id', type: 'varchar', length: '32', isPrimary: true },
          { name: 'sequence', type: 'integer', default: 0 },
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const table of ['ca_stream_position', 'ca_crl_state', 'ca_certificates', 'ca_issuers']) await qr.dropTable(table);
  }
}
