import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/** Device list filters walk (status, serial) and (deviceClass, serial): keyset pages at any size. */
export class OnboardingDeviceList1732500000200 implements MigrationInterface {
  name = 'OnboardingDeviceList1732500000200';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createIndex('onboarding_devices', new TableIndex({ name: 'IDX_devices_status_serial', columnNames: ['status', 'serial'] }));
    await qr.createIndex('onboarding_devices', new TableIndex({ name: 'IDX_devices_class_serial', columnNames: ['deviceClass', 'serial'] }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('onboarding_devices', 'IDX_devices_class_serial');
    await qr.dropIndex('onboarding_devices', 'IDX_devices_status_serial');
  }
}
