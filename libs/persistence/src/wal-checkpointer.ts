import { Worker } from 'node:worker_threads';

/** What the checkpointer needs of a better-sqlite3 connection. */
interface SqliteConnection {
  name: string;
  pragma(s: string): unknown;
  close(): unknown;
}

// Runs in the worker: its own connection to the same file, a PASSIVE checkpoint on a timer.
const WORKER = `
const { workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('synchronous = ' + workerData.synchronous);
setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or closing: the next tick tries again.
  }
}, workerData.intervalMs);
`;

/**
 * Moves WAL checkpoints off the service's event loop. better-sqlite3 is synchronous, and an
 * automatic checkpoint (every 1000 WAL pages) copies pages into the database file and fsyncs
 * it inside whichever commit crossed the threshold: under load that stalled every request of
 * the process for 10-90 ms, several times a second. Here the connection's automatic checkpoint
 * is turned off and a worker thread with its own connection checkpoints PASSIVE (never blocking
 * writers or readers) every `intervalMs`. Durability is the same: commits are in the WAL, and
 * the checkpoint syncs as the connection's `synchronous` setting says (SQLite, "WAL mode" 6-8).
 * If the worker cannot run, automatic checkpoints come back on. The worker lives as long as
 * the connection it serves: closing the connection (DataSource.destroy) stops it.
 */
export function checkpointInWorker(db: SqliteConnection, synchronous: 'NORMAL' | 'FULL', intervalMs = 200): void {
  if (!db.name || db.name === ':memory:') return;
  let worker: Worker;
  try {
    worker = new Worker(WORKER, { eval: true, workerData: { file: db.name, module: require.resolve('better-sqlite3'), synchronous, intervalMs } });
  } catch {
    return;
  }
  db.pragma('wal_autocheckpoint = 0');
  // The worker never keeps the process alive; it ends with it.
  worker.unref();
  const fallback = () => {
    try {
      db.pragma('wal_autocheckpoint = 1000');
    } catch {
      // The connection is closed already: nothing to checkpoint.
    }
  };
  worker.once('error', fallback);
  worker.once('exit', fallback);
  const close = db.close.bind(db);
  db.close = () => {
    void worker.terminate();
    return close();
  };
}
