import { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { EntitySql } from './entity-sql';

export interface MultiRowInsertOptions<T> {
  /**
   * A column with a partial unique index (`WHERE col IS NOT NULL`): a row whose value another
   * row already holds is skipped (ON CONFLICT … DO NOTHING) instead of failing the whole batch,
   * and named in the result by its index.
   */
  skipConflictsOn?: keyof T & string;
}

/**
 * One multi-row INSERT for a batch of rows of one entity. TypeORM's insert builder costs
 * ~80 us a row; values are prepared by the driver exactly as TypeORM would (UTC text on
 * SQLite, timestamptz on PostgreSQL) and sent as one parameterised statement (see EntitySql).
 * The entity's create-date column, when listed and left empty, gets the time of the insert.
 * Resolves with the indexes of skipped rows.
 */
export function multiRowInserter<T extends ObjectLiteral>(
  ds: DataSource,
  entity: EntityTarget<T>,
  columns: ReadonlyArray<keyof T & string>,
  opts: MultiRowInsertOptions<T> = {},
): (rows: Array<Partial<T>>) => Promise<ReadonlySet<number>> {
  const q = new EntitySql(ds, ds.getMetadata(entity));
  const cols = columns.map((p) => q.column(p));
  const created = q.meta.createDateColumn;
  const head = `INSERT INTO ${q.table} (${cols.map((c) => q.name(c)).join(', ')}) VALUES `;
  const unique = opts.skipConflictsOn;
  const uniqueColumn = unique ? q.name(q.column(unique)) : '';
  const primary = q.meta.primaryColumns[0];
  const primaryColumn = q.name(primary);
  return async (rows) => {
    const params: unknown[] = [];
    const tuples: string[] = [];
    const now = new Date();
    for (const row of rows) {
      const marks: string[] = [];
      for (let i = 0; i < cols.length; i++) {
        const v = cols[i] === created ? (row[columns[i]] ?? now) : row[columns[i]];
        params.push(q.value(v, cols[i]));
        marks.push(q.mark(params.length));
      }
      tuples.push(`(${marks.join(', ')})`);
    }
    const keyed = unique ? rows.flatMap((r, i) => (r[unique] === null || r[unique] === undefined ? [] : [i])) : [];
    const onConflict = keyed.length ? ` ON CONFLICT (${uniqueColumn}) WHERE ${uniqueColumn} IS NOT NULL DO NOTHING` : '';
    await ds.query(head + tuples.join(', ') + onConflict, params);
    if (keyed.length === 0) return new Set();
    // Which keyed rows went in: their primary keys are present.
    const ids = keyed.map((i) => rows[i][primary.propertyName as keyof T]);
    const stored = (await ds.query(`SELECT ${primaryColumn} AS id FROM ${q.table} WHERE ${primaryColumn} IN (${ids.map((_, i) => q.mark(i + 1)).join(', ')})`, ids)) as Array<{ id: unknown }>;
    const present = new Set(stored.map((r) => String(r.id)));
    return new Set(keyed.filter((i) => !present.has(String(rows[i][primary.propertyName as keyof T]))));
  };
}
