import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * In the embedded mode the launcher keeps the CA key passphrase and the enrollment-secret
 * hash key in files (mode 0600) in the data folder, created on first start. A production
 * deployment sets CA_KEY_PASSPHRASE(_FILE) and SECRET_HASH_KEY(_FILE) itself.
 */
/** Where a local secret lives: DATA_DIR/secrets/<name>. */
export function secretFilePath(dataDir: string, name: string): string {
  return path.join(dataDir, 'secrets', name);
}

export function ensureSecretFile(dataDir: string, name: string): string {
  const file = secretFilePath(dataDir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(32).toString('base64url') + '\n', { mode: 0o600 });
  return file;
}
