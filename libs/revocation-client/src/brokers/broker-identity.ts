import { createPrivateKey, X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import { isIP } from 'node:net';
import { IssueCertificateRequest, IssuedCertificate, Subjects } from '@iis/contracts';
import { RpcClient } from '@iis/messaging';
import { createCsr, generateKeyPair, subtle, toPem } from '@iis/pki';
import { writeFileAtomic } from '../atomic-file';
import { needsRenewal, renewalTime } from './renewal-schedule';

/** The broker's own TLS identity, kept fresh by the agent. */
export interface BrokerIdentityOptions {
  certFile: string;
  keyFile: string;
  /** Host names and IP addresses the broker answers on; the first is the CN. */
  names: string[];
  ttlSeconds?: number;
}

const DEFAULT_TTL_SECONDS = 7 * 86400;
const RETRY_MS = 30_000;

/**
 * Holds the broker's short-lived server certificate (the CA's server profile), renews it
 * over NATS at about two thirds of its life with jitter, writes key (0600) and certificate
 * chain atomically where the broker reads them, and then calls `onRenewed` (the broker
 * reload). A CA that does not answer is asked again; the old files stay in place.
 */
export class BrokerIdentity {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly rpc: RpcClient,
    private readonly opts: BrokerIdentityOptions,
    private readonly log: (line: string) => void,
    private readonly onRenewed: () => void,
    private readonly now: () => Date = () => new Date(),
  ) {}

  start(): Promise<void> {
    return this.renewOrWait();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private current(): { notBefore: Date; notAfter: Date } | undefined {
    try {
      const cert = new X509Certificate(fs.readFileSync(this.opts.certFile));
      return { notBefore: new Date(cert.validFrom), notAfter: new Date(cert.validTo) };
    } catch {
      return undefined;
    }
  }

  private schedule(cert: { notBefore: Date; notAfter: Date }): void {
    const at = renewalTime(cert.notBefore, cert.notAfter);
    this.arm(Math.max(1000, at.getTime() - this.now().getTime()));
    this.log(`agent: broker certificate valid until ${cert.notAfter.toISOString()}; renewal at ${at.toISOString()}`);
  }

  private arm(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    // setTimeout caps at about 24.8 days; a longer wait is taken in steps.
    this.timer = setTimeout(() => void this.renewOrWait(), Math.min(ms, 2 ** 31 - 1));
    this.timer.unref();
  }

  private async renewOrWait(): Promise<void> {
    const current = this.current();
    if (needsRenewal(current, this.now())) await this.renew();
    else this.schedule(current!);
  }

  private async renew(): Promise<void> {
    const names = this.opts.names;
    try {
      const keys = await generateKeyPair('P-256');
      const csr = await createCsr(keys, names[0]);
      const issued = await this.rpc.request<IssueCertificateRequest, IssuedCertificate>(
        Subjects.ca.issue,
        {
          csr: csr.toString('base64'),
          profile: 'server',
          subject: { commonName: names[0], dnsNames: names.filter((n) => !isIP(n)), ipAddresses: names.filter((n) => isIP(n)) },
          ttlSeconds: this.opts.ttlSeconds ?? DEFAULT_TTL_SECONDS,
        },
        10_000,
      );
      const pkcs8 = Buffer.from(await subtle.exportKey('pkcs8', keys.privateKey));
      const keyPem = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({ format: 'pem', type: 'pkcs8' }) as string;
      const chainPem = [issued.certificate, ...issued.chain.slice(0, -1)].map((c) => toPem(Buffer.from(c, 'base64'), 'CERTIFICATE')).join('');
      // Key first: a broker reloading between the two writes must not pair a new cert with the old key.
      await writeFileAtomic(this.opts.keyFile, keyPem, undefined, 0o600);
      await writeFileAtomic(this.opts.certFile, chainPem);
      this.log(`agent: broker certificate renewed serial=${issued.serial} until ${issued.notAfter}`);
      this.onRenewed();
      this.schedule({ notBefore: new Date(issued.notBefore), notAfter: new Date(issued.notAfter) });
    } catch (e) {
      this.log(`agent: broker certificate not renewed (${(e as Error)?.message ?? String(e)}); retrying in ${RETRY_MS / 1000} s`);
      this.arm(RETRY_MS);
    }
  }
}
