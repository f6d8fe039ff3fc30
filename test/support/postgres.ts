import { Client } from 'pg';

/** Where the test looks for a PostgreSQL server (trust auth on the development machine and in CI). */
export const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function postgresReachable(): Promise<boolean> {
  const c = new Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** Creates a database of its own for one test run; drop() removes it. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `iis_e2e_${process.pid}_${Date.now()}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** The databases an e2e suite runs on: SQLite always, PostgreSQL when global setup found one. */
export function databasesUnderTest(): ('sqlite' | 'postgres')[] {
  return process.env.IIS_TEST_POSTGRES === '1' ? ['sqlite', 'postgres'] : ['sqlite'];
}

/** Extra suite environment for `db`: a fresh PostgreSQL database of its own (drop it afterwards), or nothing for SQLite. */
export async function databaseEnv(db: 'sqlite' | 'postgres'): Promise<{ env: NodeJS.ProcessEnv; drop?: () => Promise<void> }> {
  if (db === 'sqlite') return { env: {} };
  const created = await createTestDatabase();
  return { env: { DATABASE_URL: created.url }, drop: created.drop };
}
