import { QueryRunner } from 'typeorm';

/**
 * Time columns are `timestamptz` on PostgreSQL. SQLite has no such type; TypeORM's
 * `datetime` there stores UTC text, which sorts and compares correctly.
 *
 * Entity decorators run when the module loads, before any data source exists, so the
 * choice is made from DATABASE_URL, the same variable the data source is built from.
 */
export function isPostgresUrl(url: string | undefined = process.env.DATABASE_URL): boolean {
  return !!url && /^postgres(ql)?:/.test(url);
}

export function timestampColumnType(): 'timestamptz' | 'datetime' {
  return isPostgresUrl() ? 'timestamptz' : 'datetime';
}

/** The same choice inside a migration, read from the running connection. */
export function migrationTypes(qr: QueryRunner): { timestamp: string; json: string; blob: string } {
  const pg = qr.connection.driver.options.type === 'postgres';
  return { timestamp: pg ? 'timestamptz' : 'datetime', json: pg ? 'jsonb' : 'text', blob: pg ? 'bytea' : 'blob' };
}
