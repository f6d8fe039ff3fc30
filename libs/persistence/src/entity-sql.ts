import { DataSource, EntityMetadata } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

/** A parameter with the property it is compared with or stored in, so the driver can prepare it. */
export type PropertyValue<T> = [keyof T & string, unknown];

/**
 * SQL text written with property names in braces and `?` placeholders, turned into this
 * database's SQL once: column names escaped, `$1, $2 …` on PostgreSQL. Shared by the
 * hot-path statements (entitySelect, entityUpdate).
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

  /** `{deviceId} = ?` → `"deviceId" = ?` (or `$n`), numbering placeholders across calls. */
  text(template: string): string {
    return template
      .replace(/\{(\w+)\}/g, (_m, p: string) => this.ds.driver.escape(this.column(p).databaseName))
      .replace(/\?/g, () => (this.pg ? `$${++this.placeholders}` : '?'));
  }

  get table(): string {
    return this.ds.driver.escape(this.meta.tableName);
  }

  /** Values prepared by the driver exactly as TypeORM would store them. */
  params<T>(values: Array<PropertyValue<T>>): unknown[] {
    return values.map(([p, v]) => (v === null || v === undefined ? null : this.ds.driver.preparePersistentValue(v, this.column(p))));
  }
}
