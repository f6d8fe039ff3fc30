import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** Which redemption spent a result, so only that enrollment attempt can give it back. */
export class AttestationResultRedemption1765000000801 implements MigrationInterface {
  name = 'AttestationResultRedemption1765000000801';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('attestation_results', new TableColumn({ name: 'usedBy', type: 'varchar', length: '36', isNullable: true }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('attestation_results', 'usedBy');
  }
}
