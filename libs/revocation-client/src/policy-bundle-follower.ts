import { createHash, KeyObject } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { PolicyBundles } from '@iis/contracts';
import { BundleError, DecisionCache, Evaluation, evaluatePolicy, Facts, trustedKeysFromPem, VerifiedBundle, verifyBundle } from '@iis/policy-engine';
import { writeFileAtomic } from './atomic-file';

export const POLICY_BUNDLE_FILE = 'policy-bundle.json';

export interface EdgeDecision extends Evaluation {
  policyVersion: string;
  /** True when answered from the decision cache. */
  cached: boolean;
}

export interface PolicyBundleStats {
  policyVersion: string | null;
  applied: number;
  rejected: number;
  cacheHits: number;
  cacheMisses: number;
}

/**
 * The gateway agent's copy of the active policy: it watches the signed bundle in the NATS KV
 * bucket, verifies each revision (key id mandatory, signature, policy), keeps the last good
 * one on disk, and decides connections locally with a decision cache. A rejected bundle and
 * an unreachable NATS both leave the last good bundle in force.
 */
export class PolicyBundleFollower {
  private current: VerifiedBundle | undefined;
  private readonly cache = new DecisionCache<Evaluation>();
  private applied = 0;
  private rejected = 0;
  private stopped = false;
  private watcher: { stop(): void } | undefined;

  constructor(
    private readonly dir: string,
    private readonly trusted: Map<string, KeyObject>,
    private readonly log: (line: string) => void,
  ) {}

  static async fromKeyFile(dir: string, keyFile: string, log: (line: string) => void): Promise<PolicyBundleFollower> {
    const keys = trustedKeysFromPem(await fs.readFile(keyFile, 'utf8'));
    if (keys.size === 0) throw new Error(`${keyFile} holds no PUBLIC KEY`);
    return new PolicyBundleFollower(dir, keys, log);
  }

  get file(): string {
    return path.join(this.dir, POLICY_BUNDLE_FILE);
  }

  /** The last good bundle from disk, verified again: usable before NATS answers, or without it. */
  async loadLastGood(): Promise<void> {
    let raw: string;
    try {
      raw = await fs.readFile(this.file, 'utf8');
    } catch {
      return;
    }
    try {
      this.use(verifyBundle(raw, this.trusted), 'disk');
    } catch (e) {
      this.log(`agent: ignoring ${this.file}: ${(e as Error).message}`);
    }
  }

  /** Follows the bucket's key until stopped; survives disconnects (the KV watcher resumes). */
  async follow(nc: NatsConnection): Promise<void> {
    const kv = await new Kvm(jetstream(nc)).create(PolicyBundles.bucket, { history: 5 });
    const iter = await kv.watch({ key: PolicyBundles.key });
    this.watcher = iter;
    void (async () => {
      for await (const e of iter) {
        if (this.stopped) break;
        if (e.operation !== 'PUT') continue;
        await this.offer(e.value).catch((err: Error) => this.log(`agent: policy bundle not saved: ${err.message}`));
      }
    })();
  }

  /** One bundle as received: applied and saved if it verifies, otherwise counted and logged. */
  async offer(raw: Uint8Array | string): Promise<boolean> {
    let verified: VerifiedBundle;
    try {
      verified = verifyBundle(raw, this.trusted);
    } catch (e) {
      this.rejected++;
      const reason = e instanceof BundleError ? e.reason : 'error';
      this.log(`agent: rejected policy bundle reason=${reason}: ${(e as Error).message}; keeping ${this.current?.policyVersion ?? 'no policy'}`);
      return false;
    }
    if (verified.policyVersion === this.current?.policyVersion && verified.issuedAt === this.current.issuedAt) return true;
    this.use(verified, 'nats');
    await writeFileAtomic(this.file, typeof raw === 'string' ? raw : Buffer.from(raw));
    return true;
  }

  /** A connection decision from the local bundle, or null while the agent has none. */
  decide(facts: Facts): EdgeDecision | null {
    const b = this.current;
    if (!b) return null;
    const key = createHash('sha1').update(JSON.stringify(facts)).digest('base64');
    const hit = this.cache.get(key);
    if (hit) return { ...hit, policyVersion: b.policyVersion, cached: true };
    const e = evaluatePolicy(b.compiled, facts);
    this.cache.set(key, e);
    return { ...e, policyVersion: b.policyVersion, cached: false };
  }

  get stats(): PolicyBundleStats {
    return { policyVersion: this.current?.policyVersion ?? null, applied: this.applied, rejected: this.rejected, cacheHits: this.cache.hits, cacheMisses: this.cache.misses };
  }

  stop(): void {
    this.stopped = true;
    this.watcher?.stop();
  }

  private use(b: VerifiedBundle, from: 'disk' | 'nats'): void {
    this.current = b;
    this.cache.clear();
    this.applied++;
    this.log(`agent: policy bundle ${b.policyVersion} in force (key ${b.keyId}, from ${from})`);
  }
}
