export const POLICY_SETTINGS = Symbol('PolicySettings');

export interface PolicySettings {
  /** TTL granted on allow; the CA bounds it again by profile. */
  deviceTtlSeconds: number;
}
