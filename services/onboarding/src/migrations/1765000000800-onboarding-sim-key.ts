import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { migrationTypes } from '@iis/persistence';

/** The device key bound to a SIM (SHA-256 of its SPKI), for the SIM attestation's clone check. */
export class OnboardingSimKey1765000000800 implements MigrationInterface {
  name = 'OnboardingSimKey1765000000800';

  async up(qr: QueryRunner): Promise<void> {
    const t = migrationTypes(qr);
    await qr.addColumns('onboarding_sims', [
      new TableColumn({ name: 'keySha256', type: 'varchar', length: '64', isNullable: true }),
      new TableColumn({ name: 'keyBoundAt', type: t.timestamp, isNullable: true }),
    ]);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('onboarding_sims', 'keyBoundAt');
    await qr.dropColumn('onboarding_sims', 'keySha256');
  }
}
