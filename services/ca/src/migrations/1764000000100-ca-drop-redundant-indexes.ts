import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * Every index is one more write per issued certificate on the hot path (measured: the four
 * search indexes took issuance from ~5,600 to ~4,000 certs/s). A device or a SIM has a
 * handful of certificates, so (deviceId) and (iccid) serve the search as well as
 * (deviceId, serial) and (iccid, serial) did; (notAfter, serial) covers (notAfter) and the
 * "valid, expiring soon" page (measured with 200,000 rows: 2,260 pages/s without
 * (revokedAt, notAfter, serial), issuance back at ~5,400 certs/s).
 */
export class CaDropRedundantIndexes1764000000100 implements MigrationInterface {
  name = 'CaDropRedundantIndexes1764000000100';

  async up(qr: QueryRunner): Promise<void> {
    for (const name of ['IDX_ca_cert_device_serial', 'IDX_ca_cert_iccid_serial', 'ix_ca_certificates_not_after', 'IDX_ca_cert_revokedat_notafter']) {
      await qr.dropIndex('ca_certificates', name);
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.createIndex('ca_certificates', new TableIndex({ name: 'IDX_ca_cert_device_serial', columnNames: ['deviceId', 'serial'] }));
    await qr.createIndex('ca_certificates', new TableIndex({ name: 'IDX_ca_cert_iccid_serial', columnNames: ['iccid', 'serial'] }));
    await qr.createIndex('ca_certificates', new TableIndex({ name: 'ix_ca_certificates_not_after', columnNames: ['notAfter'] }));
    await qr.createIndex('ca_certificates', new TableIndex({ name: 'IDX_ca_cert_revokedat_notafter', columnNames: ['revokedAt', 'notAfter', 'serial'] }));
  }
}
