import { isIP } from 'node:net';
import { CaProfileName, DomainError, ErrorCode } from '@iis/contracts';

/**
 * Certificate profiles: what each kind of certificate may be. Pure data and pure functions,
 * applied in a fixed order by the issuance use case (shape, TTL, key, names).
 */
export interface Profile {
  name: CaProfileName;
  usage: 'clientAuth' | 'serverAuth' | 'revocationSigner';
  minTtlSeconds: number;
  maxTtlSeconds: number;
  defaultTtlSeconds: number;
  /** Key types a CSR may carry (names as parseCsr reports them). */
  keys: ReadonlySet<string>;
  /** Whether DNS / IP SANs may be placed in the certificate (from the registry, never from the CSR). */
  networkNames: boolean;
}

const MIN = 60;
const HOUR = 3600;
const DAY = 86400;
const DEVICE_KEYS = new Set(['P-256', 'P-384', 'Ed25519', 'RSA-2048', 'RSA-3072', 'RSA-4096']);

export const PROFILES: Record<CaProfileName, Profile> = {
  device: { name: 'device', usage: 'clientAuth', minTtlSeconds: 5 * MIN, maxTtlSeconds: 30 * DAY, defaultTtlSeconds: 24 * HOUR, keys: DEVICE_KEYS, networkNames: false },
  // Brokers and gateways: TLS servers; Ed25519 is left out because TLS clients in the field rarely accept it.
  server: { name: 'server', usage: 'serverAuth', minTtlSeconds: 5 * MIN, maxTtlSeconds: 90 * DAY, defaultTtlSeconds: 7 * DAY, keys: new Set(['P-256', 'P-384', 'RSA-2048', 'RSA-3072', 'RSA-4096']), networkNames: true },
  // People: a working day at most.
  // rev-signer (the revocation signer; 16 characters fit the profile column): signs revocation events and snapshots (issue 5). Short-lived and renewed by the revocation
  // service at about two thirds of its life with a fresh in-memory key: a leaked key is good for
  // a day at most, and no key file has to be guarded. Agents check the signer at signing time.
  // RSA-2048 (the service's default, PS256: cheapest for the agents to verify), RSA-3072 or P-256 (ES256); agents refuse anything else.
  'rev-signer': { name: 'rev-signer', usage: 'revocationSigner', minTtlSeconds: 5 * MIN, maxTtlSeconds: 7 * DAY, defaultTtlSeconds: 24 * HOUR, keys: new Set(['RSA-2048', 'RSA-3072', 'P-256']), networkNames: false },
  operator: { name: 'operator', usage: 'clientAuth', minTtlSeconds: 5 * MIN, maxTtlSeconds: 12 * HOUR, defaultTtlSeconds: 8 * HOUR, keys: new Set(['P-256', 'P-384', 'Ed25519', 'RSA-2048', 'RSA-3072', 'RSA-4096']), networkNames: false },
};

export function profileNamed(name: unknown): Profile {
  if (typeof name === 'string' && Object.prototype.hasOwnProperty.call(PROFILES, name)) return PROFILES[name as CaProfileName];
  throw new DomainError(ErrorCode.BadRequest, `unknown profile ${String(name)} (device, server, operator or rev-signer)`);
}

/** The TTL bounds of a profile, further capped by the deployment's CA_MAX_TTL_SECONDS. */
export function checkTtl(profile: Profile, ttlSeconds: unknown, deploymentMax: number): number {
  const max = Math.min(profile.maxTtlSeconds, deploymentMax);
  if (!Number.isInteger(ttlSeconds) || (ttlSeconds as number) < profile.minTtlSeconds || (ttlSeconds as number) > max) {
    throw new DomainError(ErrorCode.BadRequest, `ttlSeconds must be an integer between ${profile.minTtlSeconds} and ${max} for the ${profile.name} profile`);
  }
  return ttlSeconds as number;
}

export function checkKey(profile: Profile, keyName: string): void {
  if (!profile.keys.has(keyName)) {
    throw new DomainError(ErrorCode.BadCsr, `a ${keyName} key is not allowed for the ${profile.name} profile (allowed: ${[...profile.keys].join(', ')})`);
  }
}

// RFC 1123 host names, each label 1-63 characters, at most 253 in all; a leading "*." for a wildcard is not issued.
const DNS_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;

export function checkNames(profile: Profile, names: { dnsNames?: unknown; ipAddresses?: unknown }): { dnsNames: string[]; ipAddresses: string[] } {
  const dnsNames = names.dnsNames ?? [];
  const ipAddresses = names.ipAddresses ?? [];
  if (!Array.isArray(dnsNames) || !Array.isArray(ipAddresses)) throw new DomainError(ErrorCode.BadRequest, 'dnsNames and ipAddresses must be arrays');
  if (!profile.networkNames && (dnsNames.length || ipAddresses.length)) {
    throw new DomainError(ErrorCode.BadRequest, `the ${profile.name} profile carries no DNS or IP names`);
  }
  if (profile.networkNames && dnsNames.length + ipAddresses.length === 0) {
    throw new DomainError(ErrorCode.BadRequest, `the ${profile.name} profile needs at least one DNS name or IP address`);
  }
  if (dnsNames.length + ipAddresses.length > 100) throw new DomainError(ErrorCode.BadRequest, 'at most 100 DNS names and IP addresses');
  for (const d of dnsNames) {
    if (typeof d !== 'string' || d.length > 253 || !d.split('.').every((l) => DNS_LABEL.test(l))) throw new DomainError(ErrorCode.BadRequest, `"${String(d)}" is not a DNS host name`);
  }
  for (const ip of ipAddresses) {
    if (typeof ip !== 'string' || isIP(ip) === 0) throw new DomainError(ErrorCode.BadRequest, `"${String(ip)}" is not an IP address`);
  }
  return { dnsNames: dnsNames as string[], ipAddresses: ipAddresses as string[] };
}

/** RFC 5280 4.1.2.5 and 6.1.3: notBefore backdated for clock skew; never past the issuer's notAfter. */
export function validity(now: Date, ttlSeconds: number, skewSeconds: number, issuerNotAfter: Date): { notBefore: Date; notAfter: Date } {
  const notBefore = new Date(Math.floor(now.getTime() / 1000) * 1000 - skewSeconds * 1000);
  const end = new Date(Math.floor(now.getTime() / 1000) * 1000 + ttlSeconds * 1000);
  return { notBefore, notAfter: end > issuerNotAfter ? issuerNotAfter : end };
}
