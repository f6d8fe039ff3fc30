import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** Issuing keys may live in a PKCS#11 token: the row then names the key instead of holding it. */
export class CaKeyReference1764000000000 implements MigrationInterface {
  name = 'CaKeyReference1764000000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('ca_issuers', new TableColumn({ name: 'keyReference', type: 'varchar', length: '128', isNullable: true }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('ca_issuers', 'keyReference');
  }
}
