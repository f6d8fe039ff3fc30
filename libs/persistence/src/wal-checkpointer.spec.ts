import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkpointInWorker } from './wal-checkpointer';

// Real SQLite files: the database file grows only if someone checkpoints the WAL into it.
describe('checkpointInWorker', () => {
  const dir = mkdtempSync(join(tmpdir(), 'iis-wal-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ok/the worker copies committed pages into the database file; the connection itself never does', async () => {
    const file = join(dir, 'a.sqlite');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    checkpointInWorker(db, 'NORMAL', 50);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    const before = statSync(file).size;
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    for (let i = 0; i < 3000; i++) insert.run('x'.repeat(200));
    // The worker runs beside the inserts: a checkpoint may land while they are still going and
    // copy only part of them, so wait for the whole of them (~600 KB), not the first growth.
    const allCopied = before + 500_000;
    let size = before;
    for (let i = 0; i < 100 && size <= allCopied; i++) {
      await new Promise((r) => setTimeout(r, 50));
      size = statSync(file).size;
    }
    expect(size).toBeGreaterThan(allCopied);
    // Nothing was lost on the way: a new connection sees every row.
    db.close();
    expect(new Database(file, { readonly: true }).prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 3000 });
  });

  it('ok/closing the connection stops the worker: nobody checkpoints the file afterwards', async () => {
    const file = join(dir, 'b.sqlite');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    checkpointInWorker(db, 'NORMAL', 20);
    db.close();
    // Another connection writes without checkpointing: the file grows only if a worker still runs.
    const other = new Database(file);
    other.pragma('wal_autocheckpoint = 0');
    const before = statSync(file).size;
    const insert = other.prepare('INSERT INTO t (v) VALUES (?)');
    for (let i = 0; i < 3000; i++) insert.run('x'.repeat(200));
    await new Promise((r) => setTimeout(r, 300));
    expect(statSync(file).size).toBe(before);
    other.close();
  });

  it('ok/an in-memory database keeps its automatic checkpoint', () => {
    const db = new Database(':memory:');
    checkpointInWorker(db, 'NORMAL');
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    db.close();
  });
});
