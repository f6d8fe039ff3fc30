import { DataSource } from 'typeorm';
import { CertificateEntity } from './certificate.entity';

const COLUMNS: Array<keyof CertificateEntity> = ['serial', 'issuerId', 'profile', 'deviceId', 'iccid', 'subject', 'notBefore', 'notAfter', 'revokedAt', 'revocationReason', 'der', 'createdAt'];

/**
 * One multi-row INSERT for a batch of issued certificates. TypeORM's insert builder costs
 * ~80 us a row; values are prepared by the driver exactly as TypeORM would (UTC text on
 * SQLite, timestamptz on PostgreSQL) and sent as one parameterised statement.
 */
export function certificateInserter(ds: DataSource): (rows: Array<Partial<CertificateEntity>>) => Promise<void> {
  const meta = ds.getMetadata(CertificateEntity);
  const cols = COLUMNS.map((p) => meta.findColumnWithPropertyName(p)!);
  const pg = ds.driver.options.type === 'postgres';
  const head = `INSERT INTO ${ds.driver.escape(meta.tableName)} (${cols.map((c) => ds.driver.escape(c.databaseName)).join(', ')}) VALUES `;
  return async (rows) => {
    const params: unknown[] = [];
    const tuples: string[] = [];
    const now = new Date();
    for (const row of rows) {
      const marks: string[] = [];
      for (let i = 0; i < cols.length; i++) {
        const v = COLUMNS[i] === 'createdAt' ? (row.createdAt ?? now) : row[COLUMNS[i]];
        params.push(v === null || v === undefined ? null : ds.driver.preparePersistentValue(v, cols[i]));
        marks.push(pg ? `$${params.length}` : '?');
      }
      tuples.push(`(${marks.join(', ')})`);
    }
    await ds.query(head + tuples.join(', '), params);
  };
}
