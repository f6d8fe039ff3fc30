import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from './atomic-file';
import { ISSUER_ID } from './issuer-id';

const ISSUER_CRL_FILE = /^(.+)\.crl\.pem$/;

/**
 * The files a broker reads, each replaced atomically:
 * `<dir>/ca-chain.pem`, `<dir>/crl/<issuerId>.crl.pem`, and `<dir>/crl.pem`, all issuers'
 * CRLs concatenated (what a Mosquitto `crlfile` points to).
 */
export class CrlFiles {
  readonly crlDir: string;
  readonly bundleFile: string;
  readonly chainFile: string;

  constructor(readonly dir: string) {
    this.crlDir = path.join(dir, 'crl');
    this.bundleFile = path.join(dir, 'crl.pem');
    this.chainFile = path.join(dir, 'ca-chain.pem');
  }

  async prepare(): Promise<void> {
    await fs.mkdir(this.crlDir, { recursive: true });
  }

  issuerFile(issuerId: string): string {
    if (!ISSUER_ID.test(issuerId)) throw new Error(`issuer id ${JSON.stringify(issuerId)} cannot name a file`);
    return path.join(this.crlDir, `${issuerId}.crl.pem`);
  }

  async writeChain(pem: string): Promise<string> {
    await writeFileAtomic(this.chainFile, pem);
    return this.chainFile;
  }

  async writeIssuerCrl(issuerId: string, pem: string): Promise<string> {
    const file = this.issuerFile(issuerId);
    await writeFileAtomic(file, pem.endsWith('\n') ? pem : `${pem}\n`);
    return file;
  }

  /** Issuers that have a CRL file, from an earlier run too. */
  async issuerIds(): Promise<string[]> {
    const names = await fs.readdir(this.crlDir).catch(() => [] as string[]);
    return names
      .map((n) => ISSUER_CRL_FILE.exec(n)?.[1])
      .filter((id): id is string => id !== undefined && ISSUER_ID.test(id))
      .sort();
  }

  /** Rewrites crl.pem from every issuer file, in a stable (sorted) order. */
  async rebuildBundle(): Promise<string> {
    const parts: string[] = [];
    for (const id of await this.issuerIds()) parts.push(await fs.readFile(this.issuerFile(id), 'utf8'));
    await writeFileAtomic(this.bundleFile, parts.join(''));
    return this.bundleFile;
  }
}
