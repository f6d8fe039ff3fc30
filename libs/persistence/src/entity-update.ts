import { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { EntitySql, PropertyValue } from './entity-sql';

/**
 * An UPDATE for a hot path, its SQL built once (see EntitySql): `set` and `where` name
 * properties in braces, `?` takes the parameters in order. Resolves to the number of rows
 * changed, so a conditional update can decide a race (exactly one caller sees 1).
 */
export function entityUpdate<T extends ObjectLiteral>(ds: DataSource, entity: EntityTarget<T>, set: string, where: string): (...params: Array<PropertyValue<T>>) => Promise<number> {
  const q = new EntitySql(ds, ds.getMetadata(entity));
  const sql = `UPDATE ${q.table} SET ${q.text(set)} WHERE ${q.text(where)}`;
  return async (...params) => {
    // As TypeORM's update builder does: the shared runner on SQLite, a pooled one on PostgreSQL.
    const runner = ds.createQueryRunner();
    try {
      const result = await runner.query(sql, q.params(params), true);
      return result.affected ?? 0;
    } finally {
      await runner.release();
    }
  };
}
