import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/** Indexes behind the operator API's certificate search: each filter walks its own (column, serial) order. */
export class CaCertificateSearch1732500000000 implements MigrationInterface {
  name = 'CaCertificateSearch1732500000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createIndex('ca_certificates', new TableIndex({ name: 'IDX_ca_cert_notafter_serial', columnNames: ['notAfter', 'serial'] }));
    await qr.createIndex('ca_certificates', new TableIndex({ name: 'IDX_ca_cert_device_serial', columnNames: ['deviceId', 'serial'] }));
    await qr.createIndex('ca_certificates', new TableIndex({ name: 'IDX_ca_cert_iccid_serial', columnNames: ['iccid', 'serial'] }));
    // "valid, expiring before X" walks (revokedAt IS NULL, notAfter range) in (notAfter, serial) order: no sort.
    await qr.createIndex('ca_certificates', new TableIndex({ name: 'IDX_ca_cert_revokedat_notafter', columnNames: ['revokedAt', 'notAfter', 'serial'] }));
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const name of ['IDX_ca_cert_revokedat_notafter', 'IDX_ca_cert_iccid_serial', 'IDX_ca_cert_device_serial', 'IDX_ca_cert_notafter_serial']) {
      await qr.dropIndex('ca_certificates', name);
    }
  }
}
