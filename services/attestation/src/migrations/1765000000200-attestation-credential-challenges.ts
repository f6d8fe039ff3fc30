import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** A challenge can carry a credential (TPM credential activation) bound to one AK Name. */
export class AttestationCredentialChallenges1765000000200 implements MigrationInterface {
  name = 'AttestationCredentialChallenges1765000000200';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumns('attestation_challenges', [
      new TableColumn({ name: 'akName', type: 'varchar', length: '140', isNullable: true }),
      new TableColumn({ name: 'credentialHash', type: 'varchar', length: '64', isNullable: true }),
    ]);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('attestation_challenges', 'credentialHash');
    await qr.dropColumn('attestation_challenges', 'akName');
  }
}
