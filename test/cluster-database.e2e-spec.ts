import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ADMIN_URL, createTestDatabase, postgresReachable } from './support/postgres';
import { repoRoot } from './support/suite';

/**
 * `npm run cluster` makes its database on the machine's PostgreSQL, and the CA keys in it are
 * encrypted with the data folder's passphrase. Real PostgreSQL, the built cluster launcher.
 */
describe('npm run cluster and its database', () => {
  let name: string;
  let drop: (() => Promise<void>) | undefined;
  const dirs: string[] = [];
  const cluster = (dataDir: string) =>
    spawnSync(process.execPath, [path.join(repoRoot, 'dist/tools/launcher/src/cluster.js')], {
      env: { ...process.env, DATA_DIR: dataDir, CLUSTER_POSTGRES_ADMIN_URL: ADMIN_URL, CLUSTER_DATABASE: name, DATABASE_URL: '', CA_KEY_PASSPHRASE_FILE: '' },
      encoding: 'utf8',
      timeout: 30_000,
    });
  const folder = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'iis-cluster-db-'));
    dirs.push(d);
    return d;
  };

  beforeAll(async () => {
    if (!(await postgresReachable())) throw new Error('this test needs PostgreSQL (set TEST_POSTGRES_URL)');
    // The database an earlier cluster data folder made (its folder is gone, as after a new clone).
    const created = await createTestDatabase();
    name = new URL(created.url).pathname.slice(1);
    drop = created.drop;
  });
  afterAll(async () => {
    await drop?.();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('fail/a new data folder does not take over a database another one made: it stops and says how to go on', () => {
    const dir = folder();
    const r = cluster(dir);
    expect(r.status).toBe(1);
    expect(r.stdout + r.stderr).toContain(`the database ${name} on`);
    expect(r.stdout + r.stderr).toMatch(/DROP DATABASE .*CLUSTER_DATABASE=<name> npm run cluster.*DATA_DIR/);
    // Nothing made for it: asked again, it says the same.
    expect(fs.existsSync(path.join(dir, 'secrets', 'ca-key-passphrase'))).toBe(false);
    expect(cluster(dir).status).toBe(1);
  });
});
