import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * In the embedded mode the launcher keeps the CA key passphrase and the enrollment-secret
 * hash key in files (mode 0600) in the data folder, created on first start. A production
 * deployment sets CA_KEY_PASSPHRASE(_FILE) and SECRET_HASH_KEY(_FILE) itself.
 */
export function ensureSecretFile(dataDir: string, name: string): string {
  const dir = path.join(dataDir, 'secrets');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, name);
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(32).toString('base64url') + '\n', { mode: 0o600 });
  return file;
}
