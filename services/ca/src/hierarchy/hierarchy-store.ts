import { createPrivateKey, KeyObject, X509Certificate } from 'node:crypto';
import { DataSource, IsNull } from 'typeorm';
import { DomainError, ErrorCode } from '@iis/contracts';
import { buildCaCertificate, caKeyAlgorithmOf, CaKeyAlgorithm, decryptKeyObject, encryptKeyObject, generateCaKey, issuerInfo, keyObjectSigner, PkiError } from '@iis/pki';
import { IssuerEntity } from './issuer.entity';

/**
 * Hierarchy operations as plain functions over the CA's tables: used by the running service
 * (first start, rotation over NATS) and by the operator CLI (export/remove the root key,
 * import an existing hierarchy). Keys are only ever written encrypted (PKCS#8 PBES2).
 */
export interface HierarchySettings {
  keyPassphrase: string;
  trustDomain: string;
  /** When set, issuing keys are generated in this token instead of stored encrypted. */
  token?: TokenKeys;
}

/** Makes a key inside a PKCS#11 token; only its public half and a reference come out. */
export interface TokenKeys {
  generate(alg: CaKeyAlgorithm, label: string): { reference: string; publicKey: KeyObject };
}

const ROOT_YEARS = 20;
const ISSUING_YEARS = 5;
const years = (now: Date, y: number) => new Date(now.getTime() + y * 365.25 * 86400_000);

export function idOf(kind: string, certDer: Buffer): string {
  return `${kind}-${new X509Certificate(certDer).serialNumber.toLowerCase().replace(/^(00)+/, '').slice(0, 12)}`;
}

export async function createHierarchy(ds: DataSource, s: HierarchySettings, now: Date, alg: CaKeyAlgorithm): Promise<{ rootId: string; issuingId: string }> {
  const backdated = new Date(now.getTime() - 5 * 60_000);
  const rootKeys = generateCaKey(alg);
  const rootSigner = keyObjectSigner(rootKeys.privateKey, rootKeys.publicKey);
  const root = buildCaCertificate({ commonName: 'IoT Identity Suite Root CA', organization: s.trustDomain, publicKey: rootKeys.publicKey, pathLen: 1, notBefore: backdated, notAfter: years(now, ROOT_YEARS), signer: rootSigner });
  const rootId = idOf('root', root);
  await ds.getRepository(IssuerEntity).insert({
    id: rootId, kind: 'root', parentId: null, keyAlgorithm: alg, certificate: root.toString('base64'),
    encryptedKey: encryptKeyObject(rootKeys.privateKey, s.keyPassphrase), notBefore: backdated, notAfter: years(now, ROOT_YEARS), retiredAt: null,
  });
  const issuingId = await addIssuingCa(ds, s, now, alg, 1);
  return { rootId, issuingId };
}

/**
 * Issuing CA rotation with overlap: a new issuing CA under the root becomes active; the old
 * one is marked retired but keeps its key, its CRL and OCSP answers, and stays in cacerts
 * until it expires, so certificates it issued stay valid and revocable.
 */
export async function rotateIssuingCa(ds: DataSource, s: HierarchySettings, now: Date, alg?: CaKeyAlgorithm): Promise<{ newIssuerId: string; previousIssuerId: string }> {
  const repo = ds.getRepository(IssuerEntity);
  const active = await repo.findOne({ where: { kind: 'issuing', retiredAt: IsNull() }, order: { createdAt: 'DESC' } });
  if (!active) throw new DomainError(ErrorCode.Conflict, 'there is no active issuing CA to rotate');
  const count = await repo.count({ where: { kind: 'issuing' } });
  const newIssuerId = await addIssuingCa(ds, s, now, alg ?? (active.keyAlgorithm as CaKeyAlgorithm), count + 1);
  await repo.update({ id: active.id }, { retiredAt: now });
  return { newIssuerId, previousIssuerId: active.id };
}

async function addIssuingCa(ds: DataSource, s: HierarchySettings, now: Date, alg: CaKeyAlgorithm, n: number): Promise<string> {
  const repo = ds.getRepository(IssuerEntity);
  const root = await repo.findOneBy({ kind: 'root' });
  if (!root) throw new DomainError(ErrorCode.Conflict, 'there is no root CA');
  if (!root.encryptedKey) throw new DomainError(ErrorCode.Conflict, `the root key of ${root.id} is offline: import it (ca-admin import-root-key) to create an issuing CA, then remove it again`);
  const rootKeys = openIssuerKey(root, s.keyPassphrase);
  const rootDer = Buffer.from(root.certificate, 'base64');
  const backdated = new Date(now.getTime() - 5 * 60_000);
  const notAfter = new Date(Math.min(years(now, ISSUING_YEARS).getTime(), root.notAfter.getTime()));
  const inToken = s.token?.generate(alg, `iis-issuing-${n}`);
  const keys = inToken ? undefined : generateCaKey(alg);
  const cert = buildCaCertificate({
    commonName: `IoT Identity Suite Issuing CA ${n}`, organization: s.trustDomain, publicKey: inToken ? inToken.publicKey : keys!.publicKey, pathLen: 0,
    notBefore: backdated, notAfter, issuer: issuerInfo(rootDer), signer: keyObjectSigner(rootKeys.privateKey, rootKeys.publicKey),
  });
  const id = idOf('issuing', cert);
  await repo.insert({
    id, kind: 'issuing', parentId: root.id, keyAlgorithm: alg, certificate: cert.toString('base64'),
    encryptedKey: keys ? encryptKeyObject(keys.privateKey, s.keyPassphrase) : null, keyReference: inToken ? inToken.reference : null,
    notBefore: backdated, notAfter, retiredAt: null,
  });
  return id;
}

/** The issuer's key pair, decrypted with the CA passphrase; a wrong passphrase is a Conflict naming the variable. */
export function openIssuerKey(row: IssuerEntity, passphrase: string) {
  try {
    return decryptKeyObject(row.encryptedKey!, passphrase);
  } catch (e) {
    if (e instanceof PkiError) throw new DomainError(ErrorCode.Conflict, `cannot decrypt the key of ${row.id}: CA_KEY_PASSPHRASE is not the passphrase it was encrypted with`);
    throw e;
  }
}

/** The root certificate and its key, still encrypted under the CA passphrase, for safekeeping offline. */
export async function exportRoot(ds: DataSource): Promise<{ id: string; certificatePem: string; encryptedKeyPem: string }> {
  const root = await ds.getRepository(IssuerEntity).findOneBy({ kind: 'root' });
  if (!root) throw new DomainError(ErrorCode.NotFound, 'there is no root CA');
  if (!root.encryptedKey) throw new DomainError(ErrorCode.Conflict, `the root key of ${root.id} is already offline`);
  return { id: root.id, certificatePem: new X509Certificate(Buffer.from(root.certificate, 'base64')).toString(), encryptedKeyPem: root.encryptedKey };
}

/**
 * Removes the root key from the system; `exportedKeyPem` must be the export, so nothing is lost
 * by accident. `lastUse` runs once the export is checked and while the key is still there (the
 * CA signs the root's long-lived ARL with it).
 */
export async function removeRootKey(ds: DataSource, exportedKeyPem: string, lastUse?: () => Promise<unknown>): Promise<string> {
  const repo = ds.getRepository(IssuerEntity);
  const root = await repo.findOneBy({ kind: 'root' });
  if (!root?.encryptedKey) throw new DomainError(ErrorCode.Conflict, 'there is no online root key to remove');
  if (root.encryptedKey.trim() !== exportedKeyPem.trim()) throw new DomainError(ErrorCode.BadRequest, 'the file is not the export of this root key; export it first (ca-admin export-root)');
  await lastUse?.();
  await repo.update({ id: root.id }, { encryptedKey: null });
  return root.id;
}

/** Brings an exported root key back (for a rotation); it must match the root certificate. */
export async function importRootKey(ds: DataSource, s: HierarchySettings, keyPem: string, keyPassphrase = s.keyPassphrase): Promise<string> {
  const repo = ds.getRepository(IssuerEntity);
  const root = await repo.findOneBy({ kind: 'root' });
  if (!root) throw new DomainError(ErrorCode.NotFound, 'there is no root CA');
  const key = loadKey(keyPem, keyPassphrase);
  if (!new X509Certificate(Buffer.from(root.certificate, 'base64')).checkPrivateKey(key)) throw new DomainError(ErrorCode.BadRequest, `the key does not belong to root ${root.id}`);
  await repo.update({ id: root.id }, { encryptedKey: encryptKeyObject(key, s.keyPassphrase) });
  return root.id;
}

/**
 * Imports an existing hierarchy into an empty CA: a root certificate (its key optional, so
 * the root can stay offline from the start) and an issuing CA certificate with its key.
 * The chain, the CA flags and the key pairs are checked before anything is written.
 */
export async function importHierarchy(
  ds: DataSource,
  s: HierarchySettings,
  p: { rootPem: string; issuingPem: string; issuingKeyPem: string; rootKeyPem?: string; keyFilePassphrase?: string },
): Promise<{ rootId: string; issuingId: string }> {
  const repo = ds.getRepository(IssuerEntity);
  if ((await repo.count()) > 0) throw new DomainError(ErrorCode.Conflict, 'the CA already has a hierarchy; import only into an empty CA');
  let root: X509Certificate, issuing: X509Certificate;
  try {
    root = new X509Certificate(p.rootPem);
    issuing = new X509Certificate(p.issuingPem);
  } catch {
    throw new DomainError(ErrorCode.BadRequest, 'the root and issuing certificates must be PEM or DER X.509 certificates');
  }
  if (!root.ca || !issuing.ca) throw new DomainError(ErrorCode.BadRequest, 'both certificates must be CA certificates (basicConstraints cA=TRUE)');
  if (!root.verify(root.publicKey)) throw new DomainError(ErrorCode.BadRequest, 'the root certificate is not self-signed');
  if (!issuing.verify(root.publicKey) || issuing.issuer !== root.subject) throw new DomainError(ErrorCode.BadRequest, 'the issuing CA certificate was not issued by the root');
  const issuingKey = loadKey(p.issuingKeyPem, p.keyFilePassphrase);
  if (!issuing.checkPrivateKey(issuingKey)) throw new DomainError(ErrorCode.BadRequest, 'the issuing key does not belong to the issuing CA certificate');
  const alg = caKeyAlgorithmOf(issuingKey);
  const rootKey = p.rootKeyPem ? loadKey(p.rootKeyPem, p.keyFilePassphrase) : undefined;
  if (rootKey && !root.checkPrivateKey(rootKey)) throw new DomainError(ErrorCode.BadRequest, 'the root key does not belong to the root certificate');
  const rootId = idOf('root', root.raw);
  const issuingId = idOf('issuing', issuing.raw);
  await ds.transaction(async (em) => {
    await em.insert(IssuerEntity, {
      id: rootId, kind: 'root', parentId: null, keyAlgorithm: caKeyAlgorithmOf(root.publicKey), certificate: root.raw.toString('base64'),
      encryptedKey: rootKey ? encryptKeyObject(rootKey, s.keyPassphrase) : null, notBefore: new Date(root.validFrom), notAfter: new Date(root.validTo), retiredAt: null,
    });
    await em.insert(IssuerEntity, {
      id: issuingId, kind: 'issuing', parentId: rootId, keyAlgorithm: alg, certificate: issuing.raw.toString('base64'),
      encryptedKey: encryptKeyObject(issuingKey, s.keyPassphrase), notBefore: new Date(issuing.validFrom), notAfter: new Date(issuing.validTo), retiredAt: null,
    });
  });
  return { rootId, issuingId };
}

function loadKey(pem: string, passphrase?: string) {
  try {
    return createPrivateKey(passphrase ? { key: pem, format: 'pem', passphrase } : pem);
  } catch {
    throw new DomainError(ErrorCode.BadRequest, 'the key file cannot be read (not a PEM private key, or the passphrase is wrong)');
  }
}
