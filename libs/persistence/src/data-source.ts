import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataSource, DataSourceOptions, EntitySchema, MixedList } from 'typeorm';
import { CommonConfig } from '@iis/config';
import { isPostgresUrl } from './column-types';
import { checkpointInWorker } from './wal-checkpointer';

export interface ServiceStoreOptions {
  /** Each service owns its tables: its own SQLite file, its own migrations table. */
  service: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
}

export function dataSourceOptions(config: Pick<CommonConfig, 'databaseUrl' | 'dataDir'>, store: ServiceStoreOptions): DataSourceOptions {
  const common = {
    entities: store.entities,
    migrations: store.migrations,
    migrationsTableName: `migrations_${store.service.replace(/-/g, '_')}`,
    migrationsRun: false,
    // Never synchronize: the schema is what the migrations say, on every database.
    synchronize: false,
    logging: false as const,
  };
  if (isPostgresUrl(config.databaseUrl)) {
    return { type: 'postgres', url: config.databaseUrl, extra: { max: 10 }, ...common };
  }
  fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  return {
    type: 'better-sqlite3',
    database: path.join(config.dataDir, `${store.service}.sqlite`),
    // WAL lets readers proceed during a write; the busy timeout rides out short write locks.
    // synchronous=NORMAL (SQLITE_SYNCHRONOUS=FULL to change it): a commit does not wait for an
    // fsync; a crashed process loses nothing, a power cut can lose the last commits (SQLite,
    // "WAL mode"). The embedded default trades that for throughput; production is PostgreSQL.
    // Checkpoints run in a worker thread (checkpointInWorker): their fsync never stalls requests.
    prepareDatabase: (db: { name: string; pragma(s: string): unknown; close(): unknown }) => {
      const synchronous = process.env.SQLITE_SYNCHRONOUS === 'FULL' ? 'FULL' : 'NORMAL';
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${synchronous}`);
      db.pragma('busy_timeout = 5000');
      db.pragma('foreign_keys = ON');
      checkpointInWorker(db, synchronous);
    },
    ...common,
  };
}

/** Opens the store and applies pending migrations; the caller owns the returned source. */
export async function openStore(config: Pick<CommonConfig, 'databaseUrl' | 'dataDir'>, store: ServiceStoreOptions): Promise<DataSource> {
  const ds = new DataSource(dataSourceOptions(config, store));
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  return ds;
}
