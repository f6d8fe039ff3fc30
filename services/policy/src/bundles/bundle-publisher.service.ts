import { Inject, Injectable, Logger } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { KV, Kvm } from '@nats-io/kv';
import { Clock, CLOCK } from '@iis/config';
import { PolicyBundles } from '@iis/contracts';
import { jetStreamReplicas } from '@iis/messaging';
import { signBundle } from '@iis/policy-engine';
import { NATS_CONNECTION } from '@iis/runtime';
import type { ActivePolicy, PolicyActivationListener } from '../policies/policy-store.service';
import { POLICY_SETTINGS, PolicySettings } from '../policy.tokens';
import { BundleSigningKey, loadOrCreateSigningKey } from './signing-key';

/** Same options wherever the bucket is created (service and agents), so creating it is idempotent. */
export const BUNDLE_BUCKET_OPTIONS = { history: 5 };

/**
 * Publishes the active policy as a signed bundle to the KV bucket each time a policy becomes
 * active in this process (start included). Gateway agents watch the key, verify, and decide locally.
 */
@Injectable()
export class BundlePublisherService implements PolicyActivationListener {
  private readonly logger = new Logger('policy.bundles');
  private key: BundleSigningKey | undefined;
  private kv: KV | undefined;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(POLICY_SETTINGS) private readonly settings: PolicySettings,
  ) {}

  async start(): Promise<void> {
    this.key = loadOrCreateSigningKey(this.settings.bundleKeyFile);
    this.kv = await new Kvm(jetstream(this.nc)).create(PolicyBundles.bucket, { ...BUNDLE_BUCKET_OPTIONS, replicas: jetStreamReplicas() });
    this.logger.log(`policy bundles signed with key ${this.key.keyId}; agents trust ${this.key.publicKeyFile}`);
  }

  async onActivated(active: ActivePolicy): Promise<void> {
    if (!this.key || !this.kv) return;
    const current = await this.kv.get(PolicyBundles.key).catch(() => null);
    if (current?.value?.length) {
      const { policyVersion, keyId } = current.json<{ policyVersion?: string; keyId?: string }>();
      if (policyVersion === active.label && keyId === this.key.keyId) return; // another instance published it already
    }
    const bundle = signBundle(active.compiled.document, active.label, this.clock.now(), this.key.privateKey, this.key.keyId);
    await this.kv.put(PolicyBundles.key, JSON.stringify(bundle));
    this.logger.log(`published signed policy bundle ${active.label}`);
  }
}
