import { DataSource } from 'typeorm';
import { CertificateEntity } from './certificate.entity';

const COLUMNS: Array<keyof CertificateEntity> = ['serial', 'issuerId', 'profile', 'deviceId', 'iccid', 'subject', 'notBefore', 'notAfter', 'revokedAt', 'revocationReason', 'der', 'createdAt', 'idempotencyKey'];

/**
 * One multi-row INSERT for a batch of issued certificates. TypeORM's insert builder costs
 * ~80 us a row; values are prepared by the driver exactly as TypeORM would (UTC text on
 * SQLite, timestamptz on PostgreSQL) and sent as one parameterised statement.
 *
 * A row whose idempotency key another row already holds is skipped (ON CONFLICT on the
 * partial unique index) rather than failing the whole batch; the returned set names the
 * skipped rows by index so their callers can answer with the certificate that won.
 */
export function certificateInserter(ds: DataSource): (rows: Array<Partial<CertificateEntity>>) => Promise<ReadonlySet<number>> {
  const meta = ds.getMetadata(CertificateEntity);
  const cols = COLUMNS.map((p) => meta.findColumnWithPropertyName(p)!);
  const pg = ds.driver.options.type === 'postgres';
  const table = ds.driver.escape(meta.tableName);
  const keyColumn = ds.driver.escape(meta.findColumnWithPropertyName('idempotencyKey')!.databaseName);
  const serialColumn = ds.driver.escape(meta.findColumnWithPropertyName('serial')!.databaseName);
  const head = `INSERT INTO ${table} (${cols.map((c) => ds.driver.escape(c.databaseName)).join(', ')}) VALUES `;
  const onConflict = ` ON CONFLICT (${keyColumn}) WHERE ${keyColumn} IS NOT NULL DO NOTHING`;
  const mark = (n: number) => (pg ? `$${n}` : '?');
  return async (rows) => {
    const params: unknown[] = [];
    const tuples: string[] = [];
    const now = new Date();
    for (const row of rows) {
      const marks: string[] = [];
      for (let i = 0; i < cols.length; i++) {
        const v = COLUMNS[i] === 'createdAt' ? (row.createdAt ?? now) : row[COLUMNS[i]];
        params.push(v === null || v === undefined ? null : ds.driver.preparePersistentValue(v, cols[i]));
        marks.push(mark(params.length));
      }
      tuples.push(`(${marks.join(', ')})`);
    }
    const keyed = rows.flatMap((r, i) => (r.idempotencyKey ? [i] : []));
    await ds.query(head + tuples.join(', ') + (keyed.length ? onConflict : ''), params);
    if (keyed.length === 0) return new Set();
    const serials = keyed.map((i) => rows[i].serial!);
    const stored = await ds.query(`SELECT ${serialColumn} AS serial FROM ${table} WHERE ${serialColumn} IN (${serials.map((_, i) => mark(i + 1)).join(', ')})`, serials);
    const present = new Set((stored as Array<{ serial: string }>).map((r) => r.serial));
    return new Set(keyed.filter((i) => !present.has(rows[i].serial!)));
  };
}
