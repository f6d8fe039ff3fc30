import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CaConfig, Clock, CLOCK } from '@iis/config';
import {
  bytes,
  createIssuingCertificate,
  createRootCertificate,
  decryptPrivateKey,
  encryptPrivateKey,
  generateKeyPair,
  KeyAlgorithmName,
  x509,
} from '@iis/pki';
import { CA_CONFIG } from '../ca.tokens';
import { IssuerEntity } from './issuer.entity';

export interface LoadedIssuer {
  id: string;
  certificate: x509.X509Certificate;
  der: Buffer;
  key: CryptoKey;
  alg: KeyAlgorithmName;
}

const ROOT_YEARS = 20;
const ISSUING_YEARS = 5;

/**
 * The issuer hierarchy: a root and an issuing CA, created on first start and kept.
 * Keys are stored encrypted (PBES2) and only decrypted into memory.
 */
@Injectable()
export class HierarchyService {
  private readonly logger = new Logger('ca.hierarchy');
  private issuing: LoadedIssuer | undefined;
  private chain: Buffer[] = [];
  private chainIssuerIds: string[] = [];
  private issuers = new Map<string, LoadedIssuer>();

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(CA_CONFIG) private readonly config: CaConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Creates the hierarchy if there is none, then loads the active issuing CA. */
  async start(): Promise<void> {
    const repo = this.ds.getRepository(IssuerEntity);
    if ((await repo.count()) === 0) await this.createHierarchy();
    const rows = await repo.find({ order: { createdAt: 'ASC' } });
    const root = rows.find((r) => r.kind === 'root');
    const active = rows.filter((r) => r.kind === 'issuing' && !r.retiredAt).pop();
    if (!root || !active || !active.encryptedKey) throw new Error('CA hierarchy is incomplete: no root or no active issuing CA with a key');
    for (const row of rows.filter((r) => r.kind === 'issuing' && r.encryptedKey)) {
      const der = Buffer.from(row.certificate, 'base64');
      const { cryptoKey } = await decryptPrivateKey(row.encryptedKey!, this.config.keyPassphrase, row.keyAlgorithm);
      this.issuers.set(row.id, { id: row.id, certificate: new x509.X509Certificate(bytes(der)), der, key: cryptoKey, alg: row.keyAlgorithm });
    }
    this.issuing = this.issuers.get(active.id);
    // cacerts order: issuing CA(s) first, newest first, then the root.
    const issuing = rows.filter((r) => r.kind === 'issuing' && !r.retiredAt).reverse();
    this.chain = [...issuing.map((r) => Buffer.from(r.certificate, 'base64')), Buffer.from(root.certificate, 'base64')];
    this.chainIssuerIds = issuing.map((r) => r.id);
    this.logger.log(`issuing CA ${active.id} loaded; root ${root.id}`);
  }

  activeIssuer(): LoadedIssuer {
    if (!this.issuing) throw new Error('CA hierarchy not loaded');
    return this.issuing;
  }

  issuer(id: string): LoadedIssuer | undefined {
    return this.issuers.get(id);
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

  private async createHierarchy(): Promise<void> {
    const now = this.clock.now();
    const alg: KeyAlgorithmName = 'P-256';
    const yearsFromNow = (y: number) => new Date(now.getTime() + y * 365.25 * 86400_000);
    const backdated = new Date(now.getTime() - 5 * 60_000);
    const rootKeys = await generateKeyPair(alg);
    const root = await createRootCertificate({
      commonName: 'IoT Identity Suite Root CA', organization: this.config.trustDomain,
      keys: rootKeys, alg, notBefore: backdated, notAfter: yearsFromNow(ROOT_YEARS),
    });
    const issuingKeys = await generateKeyPair(alg);
    const issuing = await createIssuingCertificate({
      commonName: 'IoT Identity Suite Issuing CA 1', organization: this.config.trustDomain,
      keys: issuingKeys, alg, notBefore: backdated, notAfter: yearsFromNow(ISSUING_YEARS),
      root, rootKey: rootKeys.privateKey, rootAlg: alg,
    });
    const idOf = (kind: string, cert: x509.X509Certificate) => `${kind}-${cert.serialNumber.slice(0, 12).toLowerCase()}`;
    const rootId = idOf('root', root);
    await this.ds.transaction(async (em) => {
      await em.insert(IssuerEntity, {
        id: rootId, kind: 'root', parentId: null, keyAlgorithm: alg,
        certificate: Buffer.from(root.rawData).toString('base64'),
        encryptedKey: await encryptPrivateKey(rootKeys.privateKey, this.config.keyPassphrase),
        notBefore: root.notBefore, notAfter: root.notAfter, retiredAt: null,
      });
      await em.insert(IssuerEntity, {
        id: idOf('issuing', issuing), kind: 'issuing', parentId: rootId, keyAlgorithm: alg,
        certificate: Buffer.from(issuing.rawData).toString('base64'),
        encryptedKey: await encryptPrivateKey(issuingKeys.privateKey, this.config.keyPassphrase),
        notBefore: issuing.notBefore, notAfter: issuing.notAfter, retiredAt: null,
      });
    });
    this.logger.log(`created CA hierarchy: root ${rootId} and issuing CA ${idOf('issuing', issuing)}`);
  }
}
