import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { migrationTypes } from '@iis/persistence';

/** Verified attestation results: signed, short-lived, spent once by onboarding. */
export class AttestationResults1765000000201 implements MigrationInterface {
  name = 'AttestationResults1765000000201';

  async up(qr: QueryRunner): Promise<void> {
    const t = migrationTypes(qr);
    await qr.createTable(
      new Table({
        name: 'attestation_results',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'deviceId', type: 'varchar', length: '36' },
          { name: 'evidenceType', type: 'varchar', length: '16' },
          { name: 'verdict', type: 'varchar', length: '8' },
          { name: 'claims', type: 'text' },
          { name: 'token', type: 'text' },
          { name: 'issuedAt', type: t.timestamp },
          { name: 'expiresAt', type: t.timestamp },
          { name: 'usedAt', type: t.timestamp, isNullable: true },
        ],
      }),
    );
    await qr.createIndex('attestation_results', new TableIndex({ name: 'ix_attestation_results_device', columnNames: ['deviceId'] }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('attestation_results');
  }
}
