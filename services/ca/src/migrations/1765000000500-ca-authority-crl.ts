import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { migrationTypes } from '@iis/persistence';

/** The root's CRL over its issuing CAs (ARL), kept so an offline root still has one to serve. */
export class CaAuthorityCrl1765000000500 implements MigrationInterface {
  name = 'CaAuthorityCrl1765000000500';

  async up(qr: QueryRunner): Promise<void> {
    const t = migrationTypes(qr);
    await qr.createTable(
      new Table({
        name: 'ca_authority_crls',
        columns: [
          { name: 'issuerId', type: 'varchar', length: '64', isPrimary: true },
          { name: 'crl', type: 'text' },
          { name: 'crlNumber', type: 'integer' },
          { name: 'thisUpdate', type: t.timestamp },
          { name: 'nextUpdate', type: t.timestamp },
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('ca_authority_crls');
  }
}
