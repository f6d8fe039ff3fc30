import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RevocationState } from '../libs/revocation-client/src/revocation-state';
import { Benchmark } from './harness';

/**
 * An agent holding 1,000,000 revoked serials: how long its start takes (reading and checking
 * state.json) and how much heap the revoked set needs. The file is written once with the
 * agent's own save path.
 */
const SERIALS = 1_000_000;

export async function agentStateBenchmarks(): Promise<Benchmark[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iis-bench-state-'));
  const file = path.join(dir, 'state.json');
  const now = () => new Date();
  let prepared = false;
  let heapMiB = 0;
  const prepare = async () => {
    if (prepared) return;
    const state = await RevocationState.load(file, now);
    const notAfter = new Date(Date.now() + 86400_000).toISOString();
    const revokedAt = new Date().toISOString();
    for (let i = 1; i <= SERIALS; i++) {
      const serial = `7${i.toString(16).padStart(31, '0')}`;
      state.apply({ version: 1, logSequence: i, serial, issuerId: 'issuing-bench', reason: 'keyCompromise', revokedAt, notAfter, deviceId: null, iccid: null, cause: '' }, i);
    }
    await state.save();
    prepared = true;
  };
  return [
    {
      name: 'agent-start-1m-revoked',
      unit: 's',
      goal: 'printed (issue: memory and start-up time)',
      run: async () => {
        await prepare();
        global.gc?.();
        const heapBefore = process.memoryUsage().heapUsed;
        const t0 = process.hrtime.bigint();
        const state = await RevocationState.load(file, now);
        const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
        global.gc?.();
        heapMiB = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
        if (state.size !== SERIALS || !state.has(`7${(SERIALS / 2).toString(16).padStart(31, '0')}`)) throw new Error('state did not load');
        return seconds;
      },
      get reference() {
        return `heap for the set ≈ ${Math.round(heapMiB)} MiB${global.gc ? '' : ' (without --expose-gc, approximate)'}; file ${Math.round(fs.statSync(file).size / 2 ** 20)} MiB`;
      },
      teardown: async () => fs.rmSync(dir, { recursive: true, force: true }),
    },
  ];
}
