import { postgresReachable } from './support/postgres';

/**
 * Decided once, before any test file loads, so a PostgreSQL variant that cannot run here
 * shows up as skipped, never as passed.
 */
export default async function globalSetup(): Promise<void> {
  const reachable = await postgresReachable();
  process.env.IIS_TEST_POSTGRES = reachable ? '1' : '0';
  if (!reachable) console.warn('\nPostgreSQL is not reachable: the PostgreSQL variants of the e2e tests are skipped.\n');
}
