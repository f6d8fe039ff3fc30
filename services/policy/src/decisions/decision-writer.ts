import type { EntityManager } from 'typeorm';

/** Columns of policy_decisions, in insert order. */
const COLUMNS = ['id', 'deviceId', 'action', 'outcome', 'ttlSeconds', 'policyVersion', 'reasons', 'score', 'trustOutcome', 'explanation', 'facts', 'trigger', 'createdAt'] as const;
export type DecisionRow = Record<(typeof COLUMNS)[number], string | number | null | Date>;

/**
 * One multi-row INSERT per chunk, written by hand: on the decision hot path the ORM's
 * per-row bookkeeping cost more than the database. Times are stored like TypeORM stores them
 * (timestamptz on PostgreSQL, UTC `YYYY-MM-DD HH:MM:SS.SSS` text on SQLite).
 */
export async function insertDecisions(em: EntityManager, rows: DecisionRow[], chunk = 100): Promise<void> {
  const pg = em.connection.driver.options.type === 'postgres';
  const cols = COLUMNS.map((c) => `"${c}"`).join(', ');
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    const params: unknown[] = [];
    const tuples = part.map((r) => {
      const marks = COLUMNS.map((c) => {
        const v = r[c];
        params.push(v instanceof Date && !pg ? sqliteUtc(v) : v);
        return pg ? `$${params.length}` : '?';
      });
      return `(${marks.join(', ')})`;
    });
    await em.query(`INSERT INTO "policy_decisions" (${cols}) VALUES ${tuples.join(', ')}`, params);
  }
}

export function sqliteUtc(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}
