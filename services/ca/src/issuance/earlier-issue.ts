import { X509Certificate } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DomainError, ErrorCode, IssuedCertificate } from '@iis/contracts';
import { entitySelect } from '@iis/persistence';
import { CertificateEntity } from './certificate.entity';

/** 64 hex characters: the requester hashes whatever makes its request unique. */
export const IDEMPOTENCY_KEY = /^[0-9a-f]{64}$/;

export interface EarlierIssueContext {
  key: string;
  profile: string;
  deviceId: string | null;
  /** DER SubjectPublicKeyInfo of the CSR being retried. */
  spki: Buffer;
  now: Date;
  /** Issuing CAs whose chain the CA still serves; a certificate from another is not handed back. */
  chainIssuerIds: readonly string[];
  chain: readonly Buffer[];
}

type ByKey = ReturnType<typeof entitySelect<CertificateEntity>>;

/** The look-up by key, its SQL built once per DataSource: it runs before every keyed issuance. */
const byKey = new WeakMap<DataSource, ByKey>();

function findByKey(ds: DataSource, key: string): Promise<CertificateEntity[]> {
  let select = byKey.get(ds);
  if (!select) {
    select = entitySelect(ds, CertificateEntity, '{idempotencyKey} = ?', 1);
    byKey.set(ds, select);
  }
  return select(['idempotencyKey', key]);
}

/**
 * The certificate already issued under an idempotency key, when it can stand for the retried
 * request: same device, profile and public key, unrevoked, unexpired, from an issuer still in
 * the chain. A key whose certificate can no longer stand (revoked, expired, issuer rotated
 * out) is released so the retry gets a fresh one; a key reused for a different device or key
 * is a conflict, never a silent substitute.
 */
export async function earlierIssue(ds: DataSource, c: EarlierIssueContext): Promise<IssuedCertificate | null> {
  const [row] = await findByKey(ds, c.key);
  if (!row) return null;
  const der = Buffer.from(row.der, 'base64');
  const sameKey = new X509Certificate(der).publicKey.export({ format: 'der', type: 'spki' }).equals(c.spki);
  if (row.deviceId !== c.deviceId || row.profile !== c.profile || !sameKey) {
    throw new DomainError(ErrorCode.Conflict, 'idempotency key already used for a different device, profile or public key');
  }
  if (row.revokedAt || row.notAfter.getTime() <= c.now.getTime() || !c.chainIssuerIds.includes(row.issuerId)) {
    await ds.getRepository(CertificateEntity).update({ serial: row.serial, idempotencyKey: c.key }, { idempotencyKey: null });
    return null;
  }
  return {
    serial: row.serial,
    issuerId: row.issuerId,
    certificate: row.der,
    chain: c.chain.map((b) => b.toString('base64')),
    notBefore: row.notBefore.toISOString(),
    notAfter: row.notAfter.toISOString(),
  };
}
