import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { migrationTypes } from '@iis/persistence';

/** Facts for the policy engine survive a NATS outage or a crash between commit and publish. */
export class AttestationFactOutbox1765000000803 implements MigrationInterface {
  name = 'AttestationFactOutbox1765000000803';

  async up(qr: QueryRunner): Promise<void> {
    const t = migrationTypes(qr);
    await qr.createTable(
      new Table({
        name: 'attestation_fact_outbox',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'subject', type: 'varchar', length: '200' },
          { name: 'msgId', type: 'varchar', length: '100', isUnique: true },
          { name: 'payload', type: 'text' },
          { name: 'createdAt', type: t.timestamp, default: 'CURRENT_TIMESTAMP' },
        ],
        indices: [{ name: 'ix_attestation_fact_outbox_created', columnNames: ['createdAt'] }],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('attestation_fact_outbox');
  }
}
