import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CaConfig, Clock, CLOCK } from '@iis/config';
import { CaIssuerDescription } from '@iis/contracts';
import {
  buildCaCertificate,
  buildOcspResponderCertificate,
  CaKeyAlgorithm,
  decryptKeyObject,
  encryptKeyObject,
  generateCaKey,
  IssuerInfo,
  issuerInfo,
  keyObjectSigner,
  LeafTemplate,
  PkiError,
  Signer,
} from '@iis/pki';
import { CA_CONFIG } from '../ca.tokens';
import { IssuerEntity } from './issuer.entity';

/** A delegated OCSP responder (RFC 6960 4.2.2.2) for one issuing CA. */
export interface OcspResponder {
  certificate: Buffer;
  signer: Signer;
}

export interface LoadedIssuer {
  id: string;
  der: Buffer;
  info: IssuerInfo;
  alg: CaKeyAlgorithm;
  signer: Signer;
  templates: Record<'clientAuth' | 'serverAuth', LeafTemplate>;
  ocsp: OcspResponder;
  notAfter: Date;
  retiredAt: Date | null;
}

const ROOT_YEARS = 20;
const ISSUING_YEARS = 5;
const OCSP_RESPONDER_DAYS = 30;

/**
 * The issuer hierarchy: a root and one or more issuing CAs, created on first start and kept.
 * Keys are stored encrypted (PKCS#8 PBES2) and only decrypted into memory; the root key is
 * only needed to create or rotate issuing CAs and may be taken offline.
 */
@Injectable()
export class HierarchyService {
  private readonly logger = new Logger('ca.hierarchy');
  private issuing: LoadedIssuer | undefined;
  private chain: Buffer[] = [];
  private chainIssuerIds: string[] = [];
  private issuers = new Map<string, LoadedIssuer>();
  private rows: IssuerEntity[] = [];

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(CA_CONFIG) private readonly config: CaConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Creates the hierarchy if there is none, then loads every issuing CA that still has a key. */
  async start(): Promise<void> {
    const repo = this.ds.getRepository(IssuerEntity);
    if ((await repo.count()) === 0) await this.createHierarchy(this.config.keyAlgorithm);
    await this.load();
  }

  async load(): Promise<void> {
    const rows = await this.ds.getRepository(IssuerEntity).find({ order: { createdAt: 'ASC', notBefore: 'ASC' } });
    const root = rows.find((r) => r.kind === 'root');
    const active = rows.filter((r) => r.kind === 'issuing' && !r.retiredAt).pop();
    if (!root || !active || !active.encryptedKey) throw new Error('CA hierarchy is incomplete: no root or no active issuing CA with a key');
    const now = this.clock.now();
    const issuers = new Map<string, LoadedIssuer>();
    for (const row of rows.filter((r) => r.kind === 'issuing' && r.encryptedKey)) {
      const existing = this.issuers.get(row.id);
      if (existing) {
        issuers.set(row.id, { ...existing, retiredAt: row.retiredAt });
        continue;
      }
      issuers.set(row.id, this.loadIssuer(row, now));
    }
    this.issuers = issuers;
    this.rows = rows;
    this.issuing = issuers.get(active.id);
    // cacerts: every unexpired issuing CA, the active one first, then the others newest first, then the root.
    const unexpired = rows.filter((r) => r.kind === 'issuing' && r.notAfter > now && issuers.has(r.id)).reverse();
    unexpired.sort((a, b) => (a.id === active.id ? -1 : b.id === active.id ? 1 : 0));
    this.chain = [...unexpired.map((r) => Buffer.from(r.certificate, 'base64')), Buffer.from(root.certificate, 'base64')];
    this.chainIssuerIds = unexpired.map((r) => r.id);
    this.logger.log(`issuing CA ${active.id} (${active.keyAlgorithm}) active; ${unexpired.length} issuing CA(s) published; root ${root.id}${root.encryptedKey ? '' : ' (offline)'}`);
  }

  private loadIssuer(row: IssuerEntity, now: Date): LoadedIssuer {
    let keys;
    try {
      keys = decryptKeyObject(row.encryptedKey!, this.config.keyPassphrase);
    } catch (e) {
      if (e instanceof PkiError) throw new Error(`cannot decrypt the key of issuing CA ${row.id}: CA_KEY_PASSPHRASE (or CA_KEY_PASSPHRASE_FILE) is not the passphrase the CA keys were encrypted with`);
      throw e;
    }
    const der = Buffer.from(row.certificate, 'base64');
    const info = issuerInfo(der);
    const signer = keyObjectSigner(keys.privateKey, keys.publicKey);
    const base = this.config.publicUrl;
    const urls = { crl: `${base}/crl/${row.id}.crl`, ocsp: `${base}/ocsp`, caIssuers: `${base}/ca/${row.id}.cer` };
    const templates = {
      clientAuth: new LeafTemplate({ issuerCertificate: der, signer, usage: 'clientAuth', urls }),
      serverAuth: new LeafTemplate({ issuerCertificate: der, signer, usage: 'serverAuth', urls }),
    };
    // The responder key lives in memory only; each start (and each instance) makes its own.
    const responderKeys = generateCaKey('P-256');
    const notAfter = new Date(Math.min(now.getTime() + OCSP_RESPONDER_DAYS * 86400_000, info.notAfter.getTime()));
    const certificate = buildOcspResponderCertificate({
      issuer: info, signer, publicKey: responderKeys.publicKey, commonName: `OCSP responder for ${row.id}`, organization: this.config.trustDomain,
      notBefore: new Date(now.getTime() - 5 * 60_000), notAfter,
    });
    return {
      id: row.id, der, info, alg: row.keyAlgorithm as CaKeyAlgorithm, signer, templates,
      ocsp: { certificate, signer: keyObjectSigner(responderKeys.privateKey, responderKeys.publicKey) },
      notAfter: info.notAfter, retiredAt: row.retiredAt,
    };
  }

  activeIssuer(): LoadedIssuer {
    if (!this.issuing) throw new Error('CA hierarchy not loaded');
    return this.issuing;
  }

  issuer(id: string): LoadedIssuer | undefined {
    return this.issuers.get(id);
  }

  allIssuers(): LoadedIssuer[] {
    return [...this.issuers.values()];
  }

  issuerIds(): string[] {
    return [...this.issuers.keys()];
  }

  /** Ids of the issuing CAs in caChain(), in the same order. */
  caChainIssuerIds(): string[] {
    return this.chainIssuerIds;
  }

  /** DER certificates: issuing CA(s) first, the root last. */
  caChain(): Buffer[] {
    return this.chain;
  }

  describe(): CaIssuerDescription[] {
    const base = this.config.publicUrl;
    return this.rows.map((r) => ({
      id: r.id, kind: r.kind, parentId: r.parentId, keyAlgorithm: r.keyAlgorithm,
      keyProtection: r.encryptedKey ? 'pbes2' : 'offline',
      notBefore: r.notBefore.toISOString(), notAfter: r.notAfter.toISOString(), retiredAt: r.retiredAt ? r.retiredAt.toISOString() : null,
      active: r.id === this.issuing?.id,
      ...(r.kind === 'issuing' ? { crlUrl: `${base}/crl/${r.id}.crl`, deltaCrlUrl: `${base}/crl/${r.id}.delta.crl`, ocspUrl: `${base}/ocsp` } : {}),
    }));
  }

  private async createHierarchy(alg: CaKeyAlgorithm): Promise<void> {
    const now = this.clock.now();
    const yearsFromNow = (y: number) => new Date(now.getTime() + y * 365.25 * 86400_000);
    const backdated = new Date(now.getTime() - 5 * 60_000);
    const rootKeys = generateCaKey(alg);
    const rootSigner = keyObjectSigner(rootKeys.privateKey, rootKeys.publicKey);
    const root = buildCaCertificate({
      commonName: 'IoT Identity Suite Root CA', organization: this.config.trustDomain,
      publicKey: rootKeys.publicKey, pathLen: 1, notBefore: backdated, notAfter: yearsFromNow(ROOT_YEARS), signer: rootSigner,
    });
    const issuingKeys = generateCaKey(alg);
    const issuing = buildCaCertificate({
      commonName: 'IoT Identity Suite Issuing CA 1', organization: this.config.trustDomain,
      publicKey: issuingKeys.publicKey, pathLen: 0, notBefore: backdated, notAfter: yearsFromNow(ISSUING_YEARS),
      issuer: issuerInfo(root), signer: rootSigner,
    });
    const rootId = idOf('root', root);
    const issuingId = idOf('issuing', issuing);
    await this.ds.transaction(async (em) => {
      await em.insert(IssuerEntity, {
        id: rootId, kind: 'root', parentId: null, keyAlgorithm: alg, certificate: root.toString('base64'),
        encryptedKey: encryptKeyObject(rootKeys.privateKey, this.config.keyPassphrase),
        notBefore: backdated, notAfter: yearsFromNow(ROOT_YEARS), retiredAt: null,
      });
      await em.insert(IssuerEntity, {
        id: issuingId, kind: 'issuing', parentId: rootId, keyAlgorithm: alg, certificate: issuing.toString('base64'),
        encryptedKey: encryptKeyObject(issuingKeys.privateKey, this.config.keyPassphrase),
        notBefore: backdated, notAfter: yearsFromNow(ISSUING_YEARS), retiredAt: null,
      });
    });
    this.logger.log(`created CA hierarchy (${alg}): root ${rootId} and issuing CA ${issuingId}`);
  }
}

/** Subject-safe id: kind and the first 12 hex digits of the serial (it names CRL URLs and NATS subjects). */
export function idOf(kind: string, certDer: Buffer): string {
  return `${kind}-${serialHexOf(certDer).slice(0, 12)}`;
}

function serialHexOf(certDer: Buffer): string {
  // Certificate > TBSCertificate > [0] version, INTEGER serial
  let p = 0;
  const hdr = () => {
    const l = certDer[p + 1];
    const n = l & 0x80 ? l & 0x7f : 0;
    let len = n ? 0 : l;
    for (let i = 0; i < n; i++) len = len * 256 + certDer[p + 2 + i];
    return { c: p + 2 + n, len };
  };
  p = hdr().c; // into Certificate
  p = hdr().c; // into TBSCertificate
  if (certDer[p] === 0xa0) p = hdr().c + hdr().len;
  const s = hdr();
  let hex = certDer.subarray(s.c, s.c + s.len).toString('hex');
  while (hex.startsWith('00') && hex.length > 2) hex = hex.slice(2);
  return hex;
}
