import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The key a requester sends so that a retry gets the certificate already issued instead of a
 * second one. Partial unique index: certificates issued without a key (the CA's own hot path,
 * broker identities) pay no index write.
 */
export class CaIdempotencyKey1765000000600 implements MigrationInterface {
  name = 'CaIdempotencyKey1765000000600';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`ALTER TABLE "ca_certificates" ADD COLUMN "idempotencyKey" varchar(64)`);
    await qr.query(`CREATE UNIQUE INDEX "UQ_ca_cert_idempotency_key" ON "ca_certificates" ("idempotencyKey") WHERE "idempotencyKey" IS NOT NULL`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP INDEX "UQ_ca_cert_idempotency_key"`);
    await qr.query(`ALTER TABLE "ca_certificates" DROP COLUMN "idempotencyKey"`);
  }
}
