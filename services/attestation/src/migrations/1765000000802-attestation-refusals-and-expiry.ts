import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

/**
 * Refused evidence is kept beside the passes (verdict fail, its reason code) for the operator;
 * expiry indexes let the periodic pruning delete what has expired without a table scan.
 */
export class AttestationRefusalsAndExpiry1765000000802 implements MigrationInterface {
  name = 'AttestationRefusalsAndExpiry1765000000802';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumns('attestation_results', [
      new TableColumn({ name: 'reasonCode', type: 'varchar', length: '40', isNullable: true }),
      new TableColumn({ name: 'reason', type: 'varchar', length: '500', isNullable: true }),
    ]);
    await qr.createIndex('attestation_results', new TableIndex({ name: 'ix_attestation_results_expires', columnNames: ['expiresAt'] }));
    await qr.createIndex('attestation_results', new TableIndex({ name: 'ix_attestation_results_device_issued', columnNames: ['deviceId', 'issuedAt'] }));
    await qr.createIndex('attestation_challenges', new TableIndex({ name: 'ix_attestation_challenges_expires', columnNames: ['expiresAt'] }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('attestation_challenges', 'ix_attestation_challenges_expires');
    await qr.dropIndex('attestation_results', 'ix_attestation_results_device_issued');
    await qr.dropIndex('attestation_results', 'ix_attestation_results_expires');
    await qr.dropColumn('attestation_results', 'reason');
    await qr.dropColumn('attestation_results', 'reasonCode');
  }
}
