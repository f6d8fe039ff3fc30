import { createPrivateKey } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Clock, CLOCK } from '@iis/config';
import { CaSubjects, DomainError, ErrorCode, IssuedCertificate, IssueRevocationSignerRequest } from '@iis/contracts';
import { RpcClient } from '@iis/messaging';
import { createCsr, generateKeyPair, subtle } from '@iis/pki';
import { renewalTime } from '@iis/revocation-client';
import { RPC } from '@iis/runtime';
import { RevocationSigner } from '@iis/revocation-client';
import { SIGNING_SETTINGS, SigningSettings } from './signing-settings';

/** A day: long enough that a CA outage of hours does not stop revocations, short enough to bound a leaked key. */
const TTL_SECONDS = 24 * 3600;
const RETRY_MS = 1000;
const RENEW_RETRY_MS = 30_000;

/**
 * Holds the revocation signing key (in memory only, never written; RSA-2048 by default, of
 * the type REVOCATION_SIGNING_KEY names) and its rev-signer certificate from the CA
 * (CaSubjects.issueRevocationSigner), renewed with a new key at about two thirds of its life
 * with jitter. A renewal that fails keeps the current key and retries.
 */
@Injectable()
export class SigningKeyService implements OnApplicationShutdown {
  private readonly logger = new Logger('revocation.signing');
  private current: { signer: RevocationSigner; notAfter: Date } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    @Inject(RPC) private readonly rpc: RpcClient,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SIGNING_SETTINGS) private readonly settings: SigningSettings,
  ) {}

  /** Resolves once a signing certificate is held; asks the CA again every second until it answers. */
  async start(instance: string): Promise<void> {
    for (;;) {
      try {
        await this.renew(instance);
        return;
      } catch (e) {
        if (this.stopped) throw e;
        this.logger.warn(`no revocation signing certificate yet (${(e as Error).message}); asking the CA again`);
        await new Promise((r) => setTimeout(r, RETRY_MS));
      }
    }
  }

  /** The signer; an expired certificate is never used (the command fails with 503 instead). */
  signer(): RevocationSigner {
    if (!this.current || this.current.notAfter <= this.clock.now()) {
      throw new DomainError(ErrorCode.Unavailable, 'the revocation signing certificate is not available; the CA has not renewed it');
    }
    return this.current.signer;
  }

  private async renew(instance: string): Promise<void> {
    const keys = await generateKeyPair(this.settings.keyAlgorithm);
    const csr = await createCsr(keys, `revocation-signer ${instance}`, this.settings.keyAlgorithm);
    const issued = await this.rpc.request<IssueRevocationSignerRequest, IssuedCertificate>(
      CaSubjects.issueRevocationSigner,
      { csr: csr.toString('base64'), ttlSeconds: TTL_SECONDS, instance },
      10_000,
    );
    const key = createPrivateKey({ key: Buffer.from(await subtle.exportKey('pkcs8', keys.privateKey)), format: 'der', type: 'pkcs8' });
    this.current = { signer: new RevocationSigner(key, issued.certificate, () => this.clock.now()), notAfter: new Date(issued.notAfter) };
    this.logger.log(`revocation signing certificate serial=${issued.serial} issuer=${issued.issuerId} key=${this.settings.keyAlgorithm} until ${issued.notAfter}`);
    const at = renewalTime(new Date(issued.notBefore), new Date(issued.notAfter));
    this.arm(instance, Math.max(RETRY_MS, at.getTime() - this.clock.now().getTime()));
  }

  private arm(instance: string, ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.renew(instance).catch((e: Error) => {
        this.logger.warn(`revocation signing certificate not renewed (${e.message}); retrying in ${RENEW_RETRY_MS / 1000} s`);
        this.arm(instance, RENEW_RETRY_MS);
      });
    }, Math.min(ms, 2 ** 31 - 1));
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }
}
