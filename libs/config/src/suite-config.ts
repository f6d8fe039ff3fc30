import * as path from 'node:path';
import { EnvReader, Env, ConfigError } from './env-reader';

/** Settings every service reads. Parsed once at start; a bad value stops the process. */
export interface CommonConfig {
  natsUrl: string;
  /** postgres://… selects PostgreSQL; absent means SQLite files in dataDir. */
  databaseUrl: string | undefined;
  dataDir: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Replicas of every stream and bucket the suite creates (JETSTREAM_REPLICAS): 1 locally, 3 in a cluster. */
  jetstreamReplicas: number;
}

export interface HttpListenConfig {
  host: string;
  port: number;
}

export interface CaConfig extends CommonConfig {
  http: HttpListenConfig;
  /** Base URL written into AIA and CRL distribution points of issued certificates. */
  publicUrl: string;
  trustDomain: string;
  keyPassphrase: string;
  defaultDeviceTtlSeconds: number;
  maxTtlSeconds: number;
  /** Key algorithm of CA keys created at first start or rotation (CA_KEY_ALGORITHM). */
  keyAlgorithm: 'P-256' | 'P-384' | 'Ed25519' | 'RSA-2048' | 'RSA-3072';
  /** CRL nextUpdate - thisUpdate (CA_CRL_NEXT_UPDATE_SECONDS). */
  crlNextUpdateSeconds: number;
  /** OCSP response nextUpdate - thisUpdate (CA_OCSP_NEXT_UPDATE_SECONDS). */
  ocspNextUpdateSeconds: number;
  /** Issuing keys in a PKCS#11 token (CA_PKCS11_MODULE, CA_PKCS11_TOKEN_LABEL, CA_PKCS11_PIN(_FILE)). */
  pkcs11?: { module: string; tokenLabel: string; pin: string };
}

export interface OnboardingConfig extends CommonConfig {
  est: HttpListenConfig & { hostnames: string[] };
  secretTtlSeconds: number;
  /** Key of the keyed hash (HMAC-SHA256) that enrollment secrets are stored under. */
  secretHashKey: Buffer;
}

export interface PolicyServiceConfig extends CommonConfig {
  /** Upper bound on the TTL a decision grants (DEVICE_CERT_TTL_SECONDS). */
  deviceTtlSeconds: number;
  /** Key that signs policy bundles for agents (POLICY_BUNDLE_KEY_FILE); instances of one suite share it. */
  bundleKeyFile: string;
}

export interface OperatorApiConfig extends CommonConfig {
  http: HttpListenConfig;
}

export type ServiceName = 'onboarding' | 'attestation' | 'ca' | 'policy' | 'revocation' | 'operator-api';

export function loadCommonConfig(env: Env = process.env): CommonConfig {
  const r = new EnvReader(env);
  const level = r.string('LOG_LEVEL', 'info');
  if (!['debug', 'info', 'warn', 'error'].includes(level)) {
    throw new ConfigError('LOG_LEVEL', `expected debug, info, warn or error, got "${level}"`);
  }
  let natsUrl = r.string('NATS_URL', 'nats://127.0.0.1:4222');
  // A cluster is given as a comma-separated seed list; each must be a NATS URL.
  for (const one of natsUrl.split(',')) r.url('NATS_URL', undefined, ['nats:', 'tls:'], one.trim());
  // The service's own NATS user (deploy/cluster gives each service one with subject permissions).
  const natsUser = r.optional('NATS_USER');
  if (natsUser !== undefined) {
    const password = readSecret(r, 'NATS_PASSWORD', defaultReadFile);
    if (password === undefined) throw new ConfigError('NATS_PASSWORD', 'set it, or NATS_PASSWORD_FILE, for NATS_USER');
    natsUrl = natsUrl.split(',').map((one) => withCredentials(one.trim(), natsUser, password)).join(',');
  }
  return {
    natsUrl,
    databaseUrl: r.url('DATABASE_URL', undefined, ['postgres:', 'postgresql:']),
    dataDir: path.resolve(r.string('DATA_DIR', 'data')),
    logLevel: level as CommonConfig['logLevel'],
    jetstreamReplicas: r.int('JETSTREAM_REPLICAS', 1, { min: 1, max: 5 }),
  };
}

export function loadCaConfig(env: Env = process.env, readFile: (p: string) => string = defaultReadFile): CaConfig {
  const r = new EnvReader(env);
  const common = loadCommonConfig(env);
  const port = r.port('CA_HTTP_PORT', 8081);
  const passphrase = readSecret(r, 'CA_KEY_PASSPHRASE', readFile);
  if (passphrase === undefined) {
    throw new ConfigError('CA_KEY_PASSPHRASE', 'set it, or CA_KEY_PASSPHRASE_FILE, to the passphrase that encrypts the CA keys at rest');
  }
  if (passphrase.length < 16) throw new ConfigError('CA_KEY_PASSPHRASE', 'must be at least 16 characters');
  const maxTtl = r.int('CA_MAX_TTL_SECONDS', 30 * 86400, { min: 300 });
  return {
    ...common,
    http: { host: r.string('CA_HTTP_HOST', '127.0.0.1'), port },
    publicUrl: r.url('CA_PUBLIC_URL', `http://localhost:${port}`, ['http:', 'https:'])!.replace(/\/$/, ''),
    trustDomain: r.string('TRUST_DOMAIN', 'iis.local'),
    keyPassphrase: passphrase,
    defaultDeviceTtlSeconds: r.int('DEVICE_CERT_TTL_SECONDS', 86400, { min: 300, max: maxTtl }),
    maxTtlSeconds: maxTtl,
    keyAlgorithm: caKeyAlgorithm(r.string('CA_KEY_ALGORITHM', 'P-256')),
    crlNextUpdateSeconds: r.int('CA_CRL_NEXT_UPDATE_SECONDS', 3600, { min: 60, max: 7 * 86400 }),
    ocspNextUpdateSeconds: r.int('CA_OCSP_NEXT_UPDATE_SECONDS', 3600, { min: 60, max: 7 * 86400 }),
    pkcs11: pkcs11Settings(r, readFile),
  };
}

function pkcs11Settings(r: EnvReader, readFile: (p: string) => string): CaConfig['pkcs11'] {
  const module = r.string('CA_PKCS11_MODULE', '');
  if (!module) return undefined;
  const tokenLabel = r.string('CA_PKCS11_TOKEN_LABEL', '');
  if (!tokenLabel) throw new ConfigError('CA_PKCS11_TOKEN_LABEL', 'set it to the label of the token that holds the issuing keys');
  const pin = readSecret(r, 'CA_PKCS11_PIN', readFile);
  if (!pin) throw new ConfigError('CA_PKCS11_PIN', 'set it, or CA_PKCS11_PIN_FILE, to the user PIN of the token');
  return { module, tokenLabel, pin };
}

const CA_KEY_ALGORITHMS = ['P-256', 'P-384', 'Ed25519', 'RSA-2048', 'RSA-3072'] as const;
function caKeyAlgorithm(v: string): CaConfig['keyAlgorithm'] {
  if (!(CA_KEY_ALGORITHMS as readonly string[]).includes(v)) throw new ConfigError('CA_KEY_ALGORITHM', `expected one of ${CA_KEY_ALGORITHMS.join(', ')}, got "${v}"`);
  return v as CaConfig['keyAlgorithm'];
}

export function loadOnboardingConfig(env: Env = process.env, readFile: (p: string) => string = defaultReadFile): OnboardingConfig {
  const r = new EnvReader(env);
  const key = readSecret(r, 'SECRET_HASH_KEY', readFile);
  if (key === undefined) {
    throw new ConfigError('SECRET_HASH_KEY', 'set it, or SECRET_HASH_KEY_FILE, to a random key (>= 32 characters) for hashing enrollment secrets');
  }
  if (key.length < 32) throw new ConfigError('SECRET_HASH_KEY', 'must be at least 32 characters');
  return {
    ...loadCommonConfig(env),
    est: {
      host: r.string('EST_HOST', '0.0.0.0'),
      port: r.port('EST_PORT', 8443),
      hostnames: r.string('EST_HOSTNAMES', 'localhost').split(',').map((h) => h.trim()).filter(Boolean),
    },
    secretTtlSeconds: r.int('ENROLLMENT_SECRET_TTL_SECONDS', 7 * 86400, { min: 60 }),
    secretHashKey: Buffer.from(key, 'utf8'),
  };
}

export function loadPolicyConfig(env: Env = process.env): PolicyServiceConfig {
  const r = new EnvReader(env);
  const common = loadCommonConfig(env);
  return {
    ...common,
    deviceTtlSeconds: r.int('DEVICE_CERT_TTL_SECONDS', 86400, { min: 300 }),
    bundleKeyFile: path.resolve(r.string('POLICY_BUNDLE_KEY_FILE', path.join(common.dataDir, 'policy-bundle-key.pem'))),
  };
}

export function loadOperatorApiConfig(env: Env = process.env): OperatorApiConfig {
  const r = new EnvReader(env);
  return { ...loadCommonConfig(env), http: { host: r.string('API_HOST', '127.0.0.1'), port: r.port('API_PORT', 8080) } };
}

function withCredentials(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  return u.toString().replace(/\/$/, '');
}

/** A secret comes from NAME or from the file named by NAME_FILE, never from a command line. */
function readSecret(r: EnvReader, name: string, readFile: (p: string) => string): string | undefined {
  const direct = r.optional(name);
  if (direct !== undefined) return direct;
  const file = r.optional(`${name}_FILE`);
  if (file === undefined) return undefined;
  try {
    return readFile(file).trim();
  } catch (e) {
    throw new ConfigError(`${name}_FILE`, `cannot read "${file}": ${(e as Error).message}`);
  }
}

function defaultReadFile(p: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('node:fs').readFileSync(p, 'utf8');
}
