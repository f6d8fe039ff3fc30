import { createPublicKey } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CaConfig, Clock, CLOCK } from '@iis/config';
import { CaIssuerDescription } from '@iis/contracts';
import {
  buildOcspResponderCertificate,
  CaKeyAlgorithm,
  decryptKeyObject,
  generateCaKey,
  IssuerInfo,
  issuerInfo,
  keyObjectSigner,
  LeafTemplate,
  Pkcs11Token,
  PkiError,
  Signer,
} from '@iis/pki';
import { CA_CONFIG } from '../ca.tokens';
import { createHierarchy, HierarchySettings, rotateIssuingCa } from './hierarchy-store';
import { IssuerEntity } from './issuer.entity';

/** A delegated OCSP responder (RFC 6960 4.2.2.2) for one issuing CA. */
export interface OcspResponder {
  certificate: Buffer;
  signer: Signer;
  notAfter: Date;
}

export interface LoadedIssuer {
  id: string;
  der: Buffer;
  info: IssuerInfo;
  alg: CaKeyAlgorithm;
  signer: Signer;
  templates: Record<'clientAuth' | 'serverAuth' | 'revocationSigner', LeafTemplate>;
  ocsp: OcspResponder;
  notAfter: Date;
  retiredAt: Date | null;
}

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
  private rootIssuerId = '';
  private issuers = new Map<string, LoadedIssuer>();
  private rows: IssuerEntity[] = [];
  private token: Pkcs11Token | undefined;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(CA_CONFIG) private readonly config: CaConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Creates the hierarchy if there is none, then loads every issuing CA that still has a key. */
  async start(): Promise<void> {
    if (this.config.pkcs11) {
      this.token = Pkcs11Token.open(this.config.pkcs11);
      this.logger.log(`issuing keys in PKCS#11 token "${this.config.pkcs11.tokenLabel}" (${this.config.pkcs11.module})`);
    }
    const repo = this.ds.getRepository(IssuerEntity);
    if ((await repo.count()) === 0) {
      const { rootId, issuingId } = await createHierarchy(this.ds, this.settings(), this.clock.now(), this.config.keyAlgorithm);
      this.logger.log(`created CA hierarchy (${this.config.keyAlgorithm}): root ${rootId} and issuing CA ${issuingId}`);
    }
    await this.load();
  }

  async load(): Promise<void> {
    const rows = await this.ds.getRepository(IssuerEntity).find({ order: { createdAt: 'ASC', notBefore: 'ASC' } });
    const root = rows.find((r) => r.kind === 'root');
    const active = rows.filter((r) => r.kind === 'issuing' && !r.retiredAt).pop();
    const hasKey = (r: IssuerEntity) => !!r.encryptedKey || !!r.keyReference;
    if (!root || !active || !hasKey(active)) throw new Error('CA hierarchy is incomplete: no root or no active issuing CA with a key');
    const now = this.clock.now();
    const issuers = new Map<string, LoadedIssuer>();
    for (const row of rows.filter((r) => r.kind === 'issuing' && hasKey(r))) {
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
    this.rootIssuerId = root.id;
    this.logger.log(`issuing CA ${active.id} (${active.keyAlgorithm}) active; ${unexpired.length} issuing CA(s) published; root ${root.id}${root.encryptedKey ? '' : ' (offline)'}`);
  }

  private signerFor(row: IssuerEntity): Signer {
    if (row.keyReference?.startsWith('pkcs11:')) {
      if (!this.token) throw new Error(`the key of issuing CA ${row.id} is in a PKCS#11 token: set CA_PKCS11_MODULE, CA_PKCS11_TOKEN_LABEL and CA_PKCS11_PIN`);
      return this.token.signer(row.keyAlgorithm as CaKeyAlgorithm, row.keyReference.slice('pkcs11:'.length));
    }
    try {
      const keys = decryptKeyObject(row.encryptedKey!, this.config.keyPassphrase);
      return keyObjectSigner(keys.privateKey, keys.publicKey);
    } catch (e) {
      if (e instanceof PkiError) throw new Error(`cannot decrypt the key of issuing CA ${row.id}: CA_KEY_PASSPHRASE (or CA_KEY_PASSPHRASE_FILE) is not the passphrase the CA keys were encrypted with`);
      throw e;
    }
  }

  private loadIssuer(row: IssuerEntity, now: Date): LoadedIssuer {
    const der = Buffer.from(row.certificate, 'base64');
    const info = issuerInfo(der);
    const signer = this.signerFor(row);
    const base = this.config.publicUrl;
    const urls = { crl: `${base}/crl/${row.id}.crl`, ocsp: `${base}/ocsp`, caIssuers: `${base}/ca/${row.id}.cer` };
    const templates = {
      clientAuth: new LeafTemplate({ issuerCertificate: der, signer, usage: 'clientAuth', urls }),
      serverAuth: new LeafTemplate({ issuerCertificate: der, signer, usage: 'serverAuth', urls }),
      revocationSigner: new LeafTemplate({ issuerCertificate: der, signer, usage: 'revocationSigner', urls }),
    };
    return {
      id: row.id, der, info, alg: row.keyAlgorithm as CaKeyAlgorithm, signer, templates,
      ocsp: this.newResponder(row.id, info, signer, now),
      notAfter: info.notAfter, retiredAt: row.retiredAt,
    };
  }

  /** The responder key lives in memory only; each start (and each instance) makes its own. */
  private newResponder(id: string, info: IssuerInfo, signer: Signer, now: Date): OcspResponder {
    const responderKeys = generateCaKey('P-256');
    const notAfter = new Date(Math.min(now.getTime() + OCSP_RESPONDER_DAYS * 86400_000, info.notAfter.getTime()));
    const certificate = buildOcspResponderCertificate({
      issuer: info, signer, publicKey: responderKeys.publicKey, commonName: `OCSP responder for ${id}`, organization: this.config.trustDomain,
      notBefore: new Date(now.getTime() - 5 * 60_000), notAfter,
    });
    return { certificate, signer: keyObjectSigner(responderKeys.privateKey, responderKeys.publicKey), notAfter };
  }

  /** Replaces responder certificates past half their life (called twice a day); true when one changed. */
  renewOcspResponders(): boolean {
    const now = this.clock.now();
    let renewed = false;
    for (const issuer of this.issuers.values()) {
      if (issuer.ocsp.notAfter.getTime() - now.getTime() < (OCSP_RESPONDER_DAYS / 2) * 86400_000 && issuer.notAfter > now) {
        issuer.ocsp = this.newResponder(issuer.id, issuer.info, issuer.signer, now);
        renewed = true;
      }
    }
    if (renewed) this.logger.log('OCSP responder certificates renewed');
    return renewed;
  }

  /** Rotation with overlap (see rotateIssuingCa); the caller tells the other instances to reload. */
  async rotate(alg?: CaKeyAlgorithm): Promise<{ newIssuerId: string; previousIssuerId: string }> {
    const r = await rotateIssuingCa(this.ds, this.settings(), this.clock.now(), alg);
    this.logger.log(`rotated: issuing CA ${r.newIssuerId} active, ${r.previousIssuerId} retired (valid and revocable until it expires)`);
    await this.load();
    return r;
  }

  private settings(): HierarchySettings {
    const token = this.token;
    return {
      keyPassphrase: this.config.keyPassphrase,
      trustDomain: this.config.trustDomain,
      token: token && {
        generate: (alg, label) => {
          const id = token.generate(alg, label);
          return { reference: `pkcs11:${id}`, publicKey: createPublicKey({ key: token.signer(alg, id).spki, format: 'der', type: 'spki' }) };
        },
      },
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

  /** Ids of the issuing CAs in caChain(), in the same order. */
  caChainIssuerIds(): string[] {
    return this.chainIssuerIds;
  }

  /** The root's id: its CRL (the ARL) is served under it. */
  rootId(): string {
    return this.rootIssuerId;
  }

  /** DER certificates: issuing CA(s) first, the root last. */
  caChain(): Buffer[] {
    return this.chain;
  }

  describe(): CaIssuerDescription[] {
    const base = this.config.publicUrl;
    return this.rows.map((r) => ({
      id: r.id, kind: r.kind, parentId: r.parentId, keyAlgorithm: r.keyAlgorithm,
      keyProtection: r.keyReference ? 'pkcs11' : r.encryptedKey ? 'pbes2' : 'offline',
      notBefore: r.notBefore.toISOString(), notAfter: r.notAfter.toISOString(), retiredAt: r.retiredAt ? r.retiredAt.toISOString() : null,
      active: r.id === this.issuing?.id,
      ...(r.kind === 'issuing' ? { crlUrl: `${base}/crl/${r.id}.crl`, deltaCrlUrl: `${base}/crl/${r.id}.delta.crl`, ocspUrl: `${base}/ocsp` } : { crlUrl: `${base}/crl/${r.id}.crl` }),
    }));
  }
}
