export const POLICY_SETTINGS = Symbol('PolicySettings');

export interface PolicySettings {
  /** TTL granted on allow; the CA bounds it again by profile. */
  deviceTtlSeconds: number;
  /** Ed25519 PKCS#8 PEM that signs policy bundles for the edge; made on first start if missing. */
  bundleKeyFile: string;
}
