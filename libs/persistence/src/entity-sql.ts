import { DataSource, EntityMetadata } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

/** A parameter with the property it is compared with or stored in, so the driver can prepare it. */
export type PropertyValue<T> = [keyof T & string, unknown];

/**
 * SQL text written with property names in braces and `?` placeholders, turned into this
 * database's SQL once: column names escaped, `$1, $2 …` on PostgreSQL. Shared by the
 * hot-path statements (entitySelect, entityUpdate, multiRowInserter).
 */
export class EntitySql {
  readonly pg: boolean;
  private placeholders = 0;

  constructor(
    private readonly ds: DataSource,
    readonly meta: EntityMetadata,
  ) {
    this.pg = ds.driver.options.type === 'postgres';
  }

  column(property: string): ColumnMetadata {
    const c = this.meta.findColumnWithPropertyName(property);
    if (!c) throw new Error(`${this.meta.name} has no column ${property}`);
    return c;
  }

  /** The column's name, escaped for this database. */
  name(c: ColumnMetadata): string {
    return this.ds.driver.escape(c.databaseName);
  }

  /** The n-th (1-based) placeholder of a statement: `$n` on PostgreSQL, `?` elsewhere. */
  mark(n: number): string {
    return this.pg ? `$${n}` : '?';
  }

  /** `{deviceId} = ?` → `"deviceId" = ?` (or `$n`), numbering placeholders across calls. */
  text(template: string): string {
    return template.replace(/\{(\w+)\}/g, (_m, p: string) => this.name(this.column(p))).replace(/\?/g, () => this.mark(++this.placeholders));
  }

  get table(): string {
    return this.ds.driver.escape(this.meta.tableName);
  }

  /** Values prepared by the driver exactly as TypeORM would store them. */
  params<T>(values: Array<PropertyValue<T>>): unknown[] {
    return values.map(([p, v]) => this.value(v, this.column(p)));
  }

  /** One value prepared by the driver for its column; null stays null. */
  value(v: unknown, c: ColumnMetadata): unknown {
    return v === null || v === undefined ? null : this.ds.driver.preparePersistentValue(v, c);
  }
}
