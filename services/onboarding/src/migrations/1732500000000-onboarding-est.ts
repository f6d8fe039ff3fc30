import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { migrationTypes } from '@iis/persistence';

/** Issue 3: device details, EST labels, pending (operator-approved) enrollments, richer records. */
export class OnboardingEst1732500000000 implements MigrationInterface {
  name = 'OnboardingEst1732500000000';

  async up(qr: QueryRunner): Promise<void> {
    const t = migrationTypes(qr);
    await qr.addColumns('onboarding_devices', [
      new TableColumn({ name: 'manufacturer', type: 'varchar', length: '100', isNullable: true }),
      new TableColumn({ name: 'firmwareVersion', type: 'varchar', length: '64', isNullable: true }),
    ]);
    await qr.createIndex('onboarding_devices', new TableIndex({ name: 'ix_onboarding_devices_status', columnNames: ['status'] }));
    await qr.addColumns('onboarding_enrollments', [
      new TableColumn({ name: 'label', type: 'varchar', length: '64', isNullable: true }),
      new TableColumn({ name: 'attestationId', type: 'varchar', length: '36', isNullable: true }),
      new TableColumn({ name: 'pendingId', type: 'varchar', length: '36', isNullable: true }),
      new TableColumn({ name: 'clientCertificate', type: 'varchar', length: '300', isNullable: true }),
    ]);
    await qr.createTable(
      new Table({
        name: 'onboarding_est_labels',
        columns: [
          { name: 'name', type: 'varchar', length: '64', isPrimary: true },
          { name: 'profile', type: 'varchar', length: '16' },
          { name: 'keyTypes', type: 'varchar', length: '100' },
          { name: 'requireProofOfPossession', type: 'boolean' },
          { name: 'requireApproval', type: 'boolean' },
          { name: 'maxTtlSeconds', type: 'integer', isNullable: true },
          { name: 'updatedAt', type: t.timestamp, default: 'CURRENT_TIMESTAMP' },
          { name: 'updatedBy', type: 'varchar', length: '200' },
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'onboarding_pending_enrollments',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'deviceId', type: 'varchar', length: '36' },
          { name: 'label', type: 'varchar', length: '64' },
          { name: 'csrSha256', type: 'varchar', length: '64' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'createdAt', type: t.timestamp, default: 'CURRENT_TIMESTAMP' },
          { name: 'decidedAt', type: t.timestamp, isNullable: true },
          { name: 'decidedBy', type: 'varchar', length: '200', isNullable: true },
        ],
        foreignKeys: [{ columnNames: ['deviceId'], referencedTableName: 'onboarding_devices', referencedColumnNames: ['id'] }],
      }),
    );
    await qr.createIndex('onboarding_pending_enrollments', new TableIndex({ name: 'ix_onboarding_pending_device', columnNames: ['deviceId', 'label', 'csrSha256'] }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('onboarding_pending_enrollments');
    await qr.dropTable('onboarding_est_labels');
    for (const c of ['label', 'attestationId', 'pendingId', 'clientCertificate']) await qr.dropColumn('onboarding_enrollments', c);
    await qr.dropIndex('onboarding_devices', 'ix_onboarding_devices_status');
    for (const c of ['manufacturer', 'firmwareVersion']) await qr.dropColumn('onboarding_devices', c);
  }
}
