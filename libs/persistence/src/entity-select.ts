import { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { EntitySql, PropertyValue } from './entity-sql';

/**
 * A SELECT of whole entities for a hot path, its SQL built once. `where` names properties in
 * braces and takes `?` placeholders: `{deviceId} = ? AND {consumedAt} IS NULL`. Parameters
 * are given with the property they compare with, so the driver prepares them as TypeORM
 * would (UTC text on SQLite, timestamptz on PostgreSQL), and rows are hydrated by the
 * driver like TypeORM's find: same entity class, same values. TypeORM's find builds the
 * query anew on every call, which cost more than the database on the enrollment path.
 */
export function entitySelect<T extends ObjectLiteral>(ds: DataSource, entity: EntityTarget<T>, where: string, limit?: number): (...params: Array<PropertyValue<T>>) => Promise<T[]> {
  const q = new EntitySql(ds, ds.getMetadata(entity));
  const cols = q.meta.columns;
  const sql = `SELECT ${cols.map((c) => q.name(c)).join(', ')} FROM ${q.table} WHERE ${q.text(where)}${limit ? ` LIMIT ${limit}` : ''}`;
  return async (...params) => {
    const rows: Array<Record<string, unknown>> = await ds.query(sql, q.params(params));
    return rows.map((row) => {
      const e = q.meta.create() as T;
      for (const c of cols) c.setEntityValue(e, ds.driver.prepareHydratedValue(row[c.databaseName], c));
      return e;
    });
  };
}
