import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/** Indexes behind the operator API's revocation list filters (since, device, SIM). */
export class RevocationList1732500000000 implements MigrationInterface {
  name = 'RevocationList1732500000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createIndex('revocation_log', new TableIndex({ name: 'IDX_revlog_revokedat', columnNames: ['revokedAt'] }));
    await qr.createIndex('revocation_log', new TableIndex({ name: 'IDX_revlog_device_seq', columnNames: ['deviceId', 'sequence'] }));
    await qr.createIndex('revocation_log', new TableIndex({ name: 'IDX_revlog_iccid_seq', columnNames: ['iccid', 'sequence'] }));
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const n of ['IDX_revlog_iccid_seq', 'IDX_revlog_device_seq', 'IDX_revlog_revokedat']) await qr.dropIndex('revocation_log', n);
  }
}
