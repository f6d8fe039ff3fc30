import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { migrationTypes } from '@iis/persistence';

/**
 * certificateHold and its release (RFC 5280 5.3.1): a serial may now have several log rows
 * (hold, removeFromCRL, hold again), so the serial is no longer unique; `releasedAt` marks a
 * hold that a later removeFromCRL row ended; `subjectCommonName` is kept for the release event.
 */
export class RevocationHoldRelease1765000000100 implements MigrationInterface {
  name = 'RevocationHoldRelease1765000000100';

  async up(qr: QueryRunner): Promise<void> {
    const t = migrationTypes(qr);
    await qr.addColumn('revocation_log', new TableColumn({ name: 'releasedAt', type: t.timestamp, isNullable: true }));
    // The release event names the device's CN too, so a broker can let its sessions in again.
    await qr.addColumn('revocation_log', new TableColumn({ name: 'subjectCommonName', type: 'varchar', length: '64', isNullable: true }));
    const table = (await qr.getTable('revocation_log'))!;
    for (const uq of table.uniques.filter((u) => u.columnNames.length === 1 && u.columnNames[0] === 'serial')) await qr.dropUniqueConstraint(table, uq);
    for (const ix of table.indices.filter((i) => i.isUnique && i.columnNames.length === 1 && i.columnNames[0] === 'serial')) await qr.dropIndex(table, ix);
    await qr.createIndex('revocation_log', new TableIndex({ name: 'IDX_revlog_serial', columnNames: ['serial'] }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('revocation_log', 'IDX_revlog_serial');
    await qr.dropColumn('revocation_log', 'subjectCommonName');
    await qr.dropColumn('revocation_log', 'releasedAt');
    await qr.createIndex('revocation_log', new TableIndex({ name: 'UQ_revlog_serial', columnNames: ['serial'], isUnique: true }));
  }
}
