import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { migrationTypes } from '@iis/persistence';

/** Issue 7: policy versions and activations, device trust state, explained decisions. */
export class PolicyEngine1764000000000 implements MigrationInterface {
  name = 'PolicyEngine1764000000000';

  async up(qr: QueryRunner): Promise<void> {
    const t = migrationTypes(qr);
    await qr.createTable(
      new Table({
        name: 'policy_versions',
        columns: [
          { name: 'version', type: 'integer', isPrimary: true },
          { name: 'name', type: 'varchar', length: '64' },
          { name: 'document', type: 'text' },
          { name: 'sha256', type: 'varchar', length: '64' },
          { name: 'uploadedBy', type: 'varchar', length: '200' },
          { name: 'uploadedAt', type: t.timestamp },
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'policy_activations',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'version', type: 'integer' },
          { name: 'previousVersion', type: 'integer', isNullable: true },
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'actor', type: 'varchar', length: '200' },
          { name: 'reason', type: 'varchar', length: '400', isNullable: true },
          { name: 'activatedAt', type: t.timestamp },
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'policy_device_trust',
        columns: [
          { name: 'deviceId', type: 'varchar', length: '36', isPrimary: true },
          { name: 'facts', type: 'text' },
          { name: 'state', type: 'varchar', length: '16' },
          { name: 'score', type: 'real', isNullable: true },
          { name: 'lastDecisionId', type: 'varchar', length: '36', isNullable: true },
          { name: 'updatedAt', type: t.timestamp },
          { name: 'stateChangedAt', type: t.timestamp, isNullable: true },
        ],
      }),
    );
    await qr.addColumns('policy_decisions', [
      new TableColumn({ name: 'score', type: 'real', isNullable: true }),
      new TableColumn({ name: 'trustOutcome', type: 'varchar', length: '16', isNullable: true }),
      new TableColumn({ name: 'explanation', type: 'text', isNullable: true }),
      new TableColumn({ name: 'facts', type: 'text', isNullable: true }),
      new TableColumn({ name: 'trigger', type: 'varchar', length: '32', isNullable: true }),
    ]);
    await qr.createIndex('policy_activations', new TableIndex({ name: 'ix_policy_activations_at', columnNames: ['activatedAt'] }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumns('policy_decisions', ['score', 'trustOutcome', 'explanation', 'facts', 'trigger']);
    await qr.dropTable('policy_device_trust');
    await qr.dropTable('policy_activations');
    await qr.dropTable('policy_versions');
  }
}
