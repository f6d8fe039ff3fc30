import { mkdtempSync, promises as fsp, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentErrorCode } from './agent.errors';
import { RevocationState } from './revocation-state';
import { revocationEvent } from './testing/events';

// Real files in a temp directory; only the clock is injected.
const hour = 3600_000;
let dir: string;
let file: string;
let clock: Date;
const now = () => clock;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'iis-agent-state-'));
  file = join(dir, 'state.bin');
  clock = new Date();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('RevocationState', () => {
  it('ok/a missing file is an empty state', async () => {
    const state = await RevocationState.load(file, now);
    expect(state.size).toBe(0);
    expect(state.lastStreamSequence).toBe(0);
  });

  it('ok/round trip through the file', async () => {
    const state = await RevocationState.load(file, now);
    state.apply(revocationEvent(clock, { serial: '0A1B', issuerId: 'issuing-a', logSequence: 4 }), 7);
    state.apply(revocationEvent(clock, { serial: 'c0ffee', issuerId: 'issuing-b', deviceId: null, iccid: null }), 9);
    state.advance(11); // a skipped message still moves the position
    await state.save();

    const again = await RevocationState.load(file, now);
    expect([...again.serials()].sort()).toEqual([...state.serials()].sort());
    expect(again.lastStreamSequence).toBe(11);
    expect(again.lastLogSequence).toBe(4);
    expect(again.has('a1b')).toBe(true);
    expect(again.has('C0FFEE')).toBe(true);
    expect(again.issuerIds().sort()).toEqual(['issuing-a', 'issuing-b']);
    expect(readFileSync(file).subarray(0, 4).toString('ascii')).toBe('IISR');
  });

  it('ok/a snapshot replaces the set and sets both positions', async () => {
    const state = await RevocationState.load(file, now);
    state.apply(revocationEvent(clock, { serial: 'aa', logSequence: 2 }), 2);
    const notAfter = new Date(clock.getTime() + hour).toISOString();
    state.replaceWith([{ serial: '00bb', issuerId: 'issuing-c', notAfter }, { serial: 'cc', issuerId: 'issuing-c', notAfter }], 40, 17);
    expect([...state.serials()].sort()).toEqual(['bb', 'cc']);
    expect(state.issuerIds()).toEqual(['issuing-c']);
    expect({ stream: state.lastStreamSequence, log: state.lastLogSequence, snapshot: state.snapshotUpTo }).toEqual({ stream: 17, log: 40, snapshot: 40 });
    await state.save();
    const again = await RevocationState.load(file, now);
    expect({ size: again.size, stream: again.lastStreamSequence, log: again.lastLogSequence, snapshot: again.snapshotUpTo }).toEqual({ size: 2, stream: 17, log: 40, snapshot: 40 });
  });

  it('ok/a removeFromCRL event releases a held serial', async () => {
    const state = await RevocationState.load(file, now);
    state.apply(revocationEvent(clock, { serial: 'aa', reason: 'certificateHold', logSequence: 1 }), 1);
    expect(state.apply(revocationEvent(clock, { serial: '00AA', reason: 'removeFromCRL', logSequence: 2 }), 2)).toBe(true);
    expect(state.has('aa')).toBe(false);
    expect(state.lastLogSequence).toBe(2);
  });

  it('ok/a state.json of earlier versions is read when the binary file is missing', async () => {
    const legacy = join(dir, 'state.json');
    writeFileSync(legacy, JSON.stringify(valid()));
    const state = await RevocationState.load(file, now, undefined, legacy);
    expect({ has: state.has('aa'), stream: state.lastStreamSequence, log: state.lastLogSequence }).toEqual({ has: true, stream: 3, log: 1 });
  });

  it.each([
    ['fail/truncated', (b: Buffer) => b.subarray(0, b.length - 3)],
    ['fail/bytes after the last entry', (b: Buffer) => Buffer.concat([b, Buffer.from([0])])],
    ['fail/other version', (b: Buffer) => Buffer.concat([b.subarray(0, 4), Buffer.from([9, 0, 0, 0]), b.subarray(8)])],
  ])('binary %s', async (_n, damage) => {
    const state = await RevocationState.load(file, now);
    state.apply(revocationEvent(clock, { serial: 'aa' }), 1);
    await state.save();
    writeFileSync(file, damage(readFileSync(file)));
    await expect(RevocationState.load(file, now)).rejects.toMatchObject({ code: AgentErrorCode.StateCorrupt, message: expect.stringContaining(file) });
  });

  it('ok/applying the same serial twice is a no-op, in any spelling', async () => {
    const state = await RevocationState.load(file, now);
    expect(state.apply(revocationEvent(clock, { serial: '5a1e' }), 1)).toBe(true);
    expect(state.apply(revocationEvent(clock, { serial: '5a1e', reason: 'superseded' }), 2)).toBe(false);
    expect(state.apply(revocationEvent(clock, { serial: '005A1E' }), 3)).toBe(false);
    expect(state.size).toBe(1);
    expect([...state.serials()]).toEqual(['5a1e']);
    expect(state.lastStreamSequence).toBe(3);
  });

  it.each([
    ['ok/exact', '5a1e', true],
    ['ok/upper case', '5A1E', true],
    ['ok/leading zeros', '0005a1e', true],
    ['ok/another serial', '5a1f', false],
    ['ok/not hex is never revoked', 'zz', false],
  ])('isRevoked %s', async (_name, query, expected) => {
    const state = await RevocationState.load(file, now);
    state.apply(revocationEvent(clock, { serial: '5a1e' }), 1);
    expect(state.has(query)).toBe(expected);
  });

  it('ok/entries past notAfter are dropped when saved', async () => {
    const state = await RevocationState.load(file, now);
    state.apply(revocationEvent(clock, { serial: 'aa', notAfter: new Date(clock.getTime() + 1 * hour).toISOString() }), 1);
    state.apply(revocationEvent(clock, { serial: 'bb', notAfter: new Date(clock.getTime() + 3 * hour).toISOString() }), 2);
    clock = new Date(clock.getTime() + 2 * hour);
    await state.save();
    expect(state.has('aa')).toBe(false);
    expect(state.has('bb')).toBe(true);
    expect([...(await RevocationState.load(file, now)).serials()]).toEqual(['bb']);
    expect(state.lastStreamSequence).toBe(2);
  });

  it('ok/save is atomic: a failed rename keeps the old file and leaves no temp file', async () => {
    let failRename = false;
    const io = {
      rename: async (from: string, to: string) => {
        if (failRename) throw new Error('simulated crash before rename');
        await fsp.rename(from, to);
      },
    };
    const state = await RevocationState.load(file, now, io);
    state.apply(revocationEvent(clock, { serial: 'aa' }), 1);
    await state.save();
    const saved = readFileSync(file);

    failRename = true;
    state.apply(revocationEvent(clock, { serial: 'bb' }), 2);
    await expect(state.save()).rejects.toThrow('simulated crash');
    expect(readFileSync(file).equals(saved)).toBe(true);
    expect(readdirSync(dir)).toEqual(['state.bin']);

    failRename = false;
    await state.save();
    expect((await RevocationState.load(file, now)).has('bb')).toBe(true);
    expect(readdirSync(dir)).toEqual(['state.bin']);
  });

  // state.json of earlier versions (version 1, JSON): still read, so its checks stay.
  const valid = () => JSON.parse(JSON.stringify({ version: 1, lastStreamSequence: 3, revoked: { aa: entry() } }));
  const entry = () => {
    const { serial: _s, version: _v, cause: _c, ...rest } = revocationEvent(new Date());
    return rest;
  };
  it.each([
    ['fail/not JSON', '{"version": 1,'],
    ['fail/empty file', ''],
    ['fail/an array', '[]'],
    ['fail/version 2', JSON.stringify({ ...valid(), version: 2 })],
    ['fail/negative position', JSON.stringify({ ...valid(), lastStreamSequence: -1 })],
    ['fail/position missing', JSON.stringify({ version: 1, revoked: {} })],
    ['fail/revoked not an object', JSON.stringify({ ...valid(), revoked: [] })],
    ['fail/serial key not hex', JSON.stringify({ ...valid(), revoked: { 'not-hex': entry() } })],
    ['fail/entry without notAfter', JSON.stringify({ ...valid(), revoked: { aa: { ...entry(), notAfter: undefined } } })],
    ['fail/entry with a bad issuerId', JSON.stringify({ ...valid(), revoked: { aa: { ...entry(), issuerId: '../x' } } })],
    ['fail/entry not an object', JSON.stringify({ ...valid(), revoked: { aa: 5 } })],
  ])('%s', async (_name, content) => {
    writeFileSync(file, content);
    await expect(RevocationState.load(file, now)).rejects.toMatchObject({ code: AgentErrorCode.StateCorrupt, message: expect.stringContaining(file) });
  });

  it('ok/the valid fixture of the table above loads', async () => {
    writeFileSync(file, JSON.stringify(valid()));
    const state = await RevocationState.load(file, now);
    expect(state.lastStreamSequence).toBe(3);
    expect(state.has('aa')).toBe(true);
  });
});
