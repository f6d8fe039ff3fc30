import { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * One multi-row INSERT for a batch of rows of one entity. TypeORM's insert builder costs
 * ~80 us a row; values are prepared by the driver exactly as TypeORM would (UTC text on
 * SQLite, timestamptz on PostgreSQL) and sent as one parameterised statement. A `createdAt`
 * column left empty gets the time of the insert.
 */
export function multiRowInserter<T extends ObjectLiteral>(ds: DataSource, entity: EntityTarget<T>, columns: ReadonlyArray<keyof T & string>): (rows: Array<Partial<T>>) => Promise<void> {
  const meta = ds.getMetadata(entity);
  const cols = columns.map((p) => {
    const c = meta.findColumnWithPropertyName(p);
    if (!c) throw new Error(`${meta.name} has no column ${p}`);
    return c;
  });
  const pg = ds.driver.options.type === 'postgres';
  const head = `INSERT INTO ${ds.driver.escape(meta.tableName)} (${cols.map((c) => ds.driver.escape(c.databaseName)).join(', ')}) VALUES `;
  return async (rows) => {
    const params: unknown[] = [];
    const tuples: string[] = [];
    const now = new Date();
    for (const row of rows) {
      const marks: string[] = [];
      for (let i = 0; i < cols.length; i++) {
        const v = columns[i] === 'createdAt' ? (row[columns[i]] ?? now) : row[columns[i]];
        params.push(v === null || v === undefined ? null : ds.driver.preparePersistentValue(v, cols[i]));
        marks.push(pg ? `$${params.length}` : '?');
      }
      tuples.push(`(${marks.join(', ')})`);
    }
    await ds.query(head + tuples.join(', '), params);
  };
}
