import { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * A SELECT of whole entities for a hot path, its SQL built once. `where` names properties in
 * braces and takes `?` placeholders: `{deviceId} = ? AND {consumedAt} IS NULL`. Parameters
 * are given with the property they compare with, so the driver prepares them as TypeORM
 * would (UTC text on SQLite, timestamptz on PostgreSQL), and rows are hydrated by the
 * driver like TypeORM's find: same entity class, same values. TypeORM's find builds the
 * query anew on every call, which cost more than the database on the enrollment path.
 */
export function entitySelect<T extends ObjectLiteral>(ds: DataSource, entity: EntityTarget<T>, where: string, limit?: number): (...params: Array<[keyof T & string, unknown]>) => Promise<T[]> {
  const meta = ds.getMetadata(entity);
  const column = (p: string) => {
    const c = meta.findColumnWithPropertyName(p);
    if (!c) throw new Error(`${meta.name} has no column ${p}`);
    return c;
  };
  const pg = ds.driver.options.type === 'postgres';
  let n = 0;
  const condition = where.replace(/\{(\w+)\}/g, (_m, p: string) => ds.driver.escape(column(p).databaseName)).replace(/\?/g, () => (pg ? `$${++n}` : '?'));
  const cols = meta.columns;
  const sql = `SELECT ${cols.map((c) => ds.driver.escape(c.databaseName)).join(', ')} FROM ${ds.driver.escape(meta.tableName)} WHERE ${condition}${limit ? ` LIMIT ${limit}` : ''}`;
  return async (...params) => {
    const rows: Array<Record<string, unknown>> = await ds.query(sql, params.map(([p, v]) => (v === null || v === undefined ? null : ds.driver.preparePersistentValue(v, column(p)))));
    return rows.map((row) => {
      const e = meta.create() as T;
      for (const c of cols) c.setEntityValue(e, ds.driver.prepareHydratedValue(row[c.databaseName], c));
      return e;
    });
  };
}
