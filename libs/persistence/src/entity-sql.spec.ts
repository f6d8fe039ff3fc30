import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, EntitySchema, IsNull, MoreThan } from 'typeorm';
import { dataSourceOptions } from './data-source';
import { entitySelect } from './entity-select';
import { entityUpdate } from './entity-update';
import { timestampColumnType } from './column-types';

interface Secret {
  id: string;
  deviceId: string;
  expiresAt: Date;
  consumedAt: Date | null;
  uses: number;
}

const SecretSchema = new EntitySchema<Secret>({
  name: 'Secret',
  tableName: 'test_secrets',
  columns: {
    id: { type: 'varchar', length: 36, primary: true },
    deviceId: { type: 'varchar', length: 36 },
    expiresAt: { type: timestampColumnType() },
    consumedAt: { type: timestampColumnType(), nullable: true },
    uses: { type: 'integer' },
  },
});

// A real SQLite file through the same options the services use; TypeORM's own find is the oracle.
describe('entitySelect and entityUpdate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'iis-select-'));
  let ds: DataSource;
  const now = new Date('2030-01-02T03:04:05.678Z');

  beforeAll(async () => {
    ds = new DataSource({ ...dataSourceOptions({ databaseUrl: undefined, dataDir: dir }, { service: 'select-spec', entities: [SecretSchema], migrations: [] }), synchronize: true });
    await ds.initialize();
    await ds.getRepository(SecretSchema).insert([
      { id: 'a', deviceId: 'd1', expiresAt: new Date(now.getTime() + 1000), consumedAt: null, uses: 0 },
      { id: 'b', deviceId: 'd1', expiresAt: new Date(now.getTime() - 1000), consumedAt: null, uses: 1 },
      { id: 'c', deviceId: 'd1', expiresAt: new Date(now.getTime() + 5000), consumedAt: now, uses: 2 },
      { id: 'd', deviceId: 'd2', expiresAt: new Date(now.getTime() + 1000), consumedAt: null, uses: 3 },
    ]);
  });
  afterAll(async () => {
    await ds.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ok/same entities as TypeORM find for the same condition', async () => {
    const select = entitySelect(ds, SecretSchema, '{deviceId} = ? AND {consumedAt} IS NULL AND {expiresAt} > ?');
    const mine = await select(['deviceId', 'd1'], ['expiresAt', now]);
    const theirs = await ds.getRepository(SecretSchema).findBy({ deviceId: 'd1', consumedAt: IsNull(), expiresAt: MoreThan(now) });
    expect(mine.map((s) => s.id)).toEqual(['a']);
    expect(mine).toEqual(theirs);
    expect(mine[0].expiresAt).toBeInstanceOf(Date);
  });

  it('ok/dates and nulls come back as TypeORM reads them; the limit applies', async () => {
    const byDevice = entitySelect(ds, SecretSchema, '{deviceId} = ?');
    expect(await byDevice(['deviceId', 'd1'])).toEqual(await ds.getRepository(SecretSchema).findBy({ deviceId: 'd1' }));
    expect(await entitySelect(ds, SecretSchema, '{deviceId} = ?', 1)(['deviceId', 'd1'])).toHaveLength(1);
    expect(await byDevice(['deviceId', 'nobody'])).toEqual([]);
  });

  it('fail/a property the entity does not have', () => {
    expect(() => entitySelect(ds, SecretSchema, '{serial} = ?')).toThrow('has no column serial');
  });

  it('ok/a conditional update changes one row once, stored as TypeORM stores it', async () => {
    const consume = entityUpdate(ds, SecretSchema, '{consumedAt} = ?, {uses} = {uses} + 1', '{id} = ? AND {consumedAt} IS NULL');
    const at = new Date(now.getTime() + 42);
    expect(await Promise.all([consume(['consumedAt', at], ['id', 'd']), consume(['consumedAt', at], ['id', 'd'])])).toEqual([1, 0]);
    expect(await consume(['consumedAt', at], ['id', 'nobody'])).toBe(0);
    const row = await ds.getRepository(SecretSchema).findOneByOrFail({ id: 'd' });
    expect(row.consumedAt).toEqual(at);
    expect(row.uses).toBe(4);
    expect(await ds.getRepository(SecretSchema).countBy({ consumedAt: at })).toBe(1);
  });
});
