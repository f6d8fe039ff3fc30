import { MigrationInterface, QueryRunner } from 'typeorm';

/** The attestation result an issuance rested on (issue 6), kept with the certificate. */
export class CaAttestationResult1765000000601 implements MigrationInterface {
  name = 'CaAttestationResult1765000000601';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`ALTER TABLE "ca_certificates" ADD COLUMN "attestationResultId" varchar(36)`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`ALTER TABLE "ca_certificates" DROP COLUMN "attestationResultId"`);
  }
}
