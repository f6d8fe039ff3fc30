import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { migrationTypes } from '@iis/persistence';

export class OnboardingInitial1732400000000 implements MigrationInterface {
  name = 'OnboardingInitial1732400000000';

  async up(qr: QueryRunner): Promise<void> {
    const t = migrationTypes(qr);
    await qr.createTable(
      new Table({
        name: 'onboarding_devices',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'serial', type: 'varchar', length: '64', isUnique: true },
          { name: 'deviceClass', type: 'varchar', length: '64' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'createdAt', type: t.timestamp, default: 'CURRENT_TIMESTAMP' },
          { name: 'firstEnrolledAt', type: t.timestamp, isNullable: true },
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'onboarding_sims',
        columns: [
          { name: 'iccid', type: 'varchar', length: '22', isPrimary: true },
          { name: 'imsi', type: 'varchar', length: '15' },
          { name: 'imei', type: 'varchar', length: '15' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'deviceId', type: 'varchar', length: '36', isNullable: true, isUnique: true },
          { name: 'createdAt', type: t.timestamp, default: 'CURRENT_TIMESTAMP' },
          { name: 'lostAt', type: t.timestamp, isNullable: true },
          { name: 'lostReason', type: 'varchar', length: '500', isNullable: true },
          { name: 'lostBy', type: 'varchar', length: '200', isNullable: true },
        ],
        foreignKeys: [{ columnNames: ['deviceId'], referencedTableName: 'onboarding_devices', referencedColumnNames: ['id'] }],
      }),
    );
    await qr.createIndex('onboarding_sims', new TableIndex({ name: 'ix_onboarding_sims_imsi', columnNames: ['imsi'] }));
    await qr.createTable(
      new Table({
        name: 'onboarding_enrollment_secrets',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'deviceId', type: 'varchar', length: '36' },
          { name: 'hash', type: 'varchar', length: '64' },
          { name: 'createdAt', type: t.timestamp, default: 'CURRENT_TIMESTAMP' },
          { name: 'expiresAt', type: t.timestamp },
          { name: 'consumedAt', type: t.timestamp, isNullable: true },
          { name: 'createdBy', type: 'varchar', length: '200' },
        ],
        foreignKeys: [{ columnNames: ['deviceId'], referencedTableName: 'onboarding_devices', referencedColumnNames: ['id'] }],
      }),
    );
    await qr.createIndex('onboarding_enrollment_secrets', new TableIndex({ name: 'ix_onboarding_secrets_device', columnNames: ['deviceId'] }));
    await qr.createTable(
      new Table({
        name: 'onboarding_enrollments',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'deviceId', type: 'varchar', length: '36', isNullable: true },
          { name: 'claimedSerial', type: 'varchar', length: '64', isNullable: true },
          { name: 'sourceAddress', type: 'varchar', length: '64', isNullable: true },
          { name: 'operation', type: 'varchar', length: '32' },
          { name: 'authorizer', type: 'varchar', length: '32', isNullable: true },
          { name: 'outcome', type: 'varchar', length: '16' },
          { name: 'errorCode', type: 'varchar', length: '32', isNullable: true },
          { name: 'reason', type: 'varchar', length: '500', isNullable: true },
          { name: 'decisionId', type: 'varchar', length: '36', isNullable: true },
          { name: 'certificateSerial', type: 'varchar', length: '64', isNullable: true },
          { name: 'createdAt', type: t.timestamp, default: 'CURRENT_TIMESTAMP' },
        ],
      }),
    );
    await qr.createIndex('onboarding_enrollments', new TableIndex({ name: 'ix_onboarding_enrollments_device', columnNames: ['deviceId'] }));
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const table of ['onboarding_enrollments', 'onboarding_enrollment_secrets', 'onboarding_sims', 'onboarding_devices']) await qr.dropTable(table);
  }
}
