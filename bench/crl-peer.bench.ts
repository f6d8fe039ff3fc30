import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Benchmark } from './harness';

/**
 * The peer for CRL generation: `openssl ca -gencrl` over 100,000 revoked entries (a
 * P-256 CA, an index.txt as `openssl ca` keeps it), timed as a whole command.
 */
const ENTRIES = 100_000;

export async function crlPeerBenchmarks(): Promise<Benchmark[]> {
  let dir: string | undefined;
  const prepare = () => {
    if (dir) return dir;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iis-bench-openssl-crl-'));
    const sh = (args: string[]) => {
      const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(r.stderr);
    };
    sh(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/CN=OpenSSL Bench CA', '-days', '2']);
    const lines: string[] = [];
    for (let i = 1; i <= ENTRIES; i++) {
      // status, expiry, revocation date[,reason], serial, file, subject — tab separated.
      lines.push(`R\t301231235959Z\t261124000000Z,keyCompromise\t${(0x7000000 + i).toString(16).toUpperCase().padStart(16, '0')}\tunknown\t/CN=d${i}`);
    }
    fs.writeFileSync(path.join(dir, 'index.txt'), lines.join('\n') + '\n');
    fs.writeFileSync(path.join(dir, 'crlnumber'), '01\n');
    fs.writeFileSync(
      path.join(dir, 'ca.cnf'),
      `[ ca ]\ndefault_ca = bench\n[ bench ]\ndatabase = ${dir}/index.txt\ncrlnumber = ${dir}/crlnumber\ndefault_md = sha256\ndefault_crl_hours = 1\n`,
    );
    return dir;
  };
  return [
    {
      name: 'crl-100k-openssl-gencrl',
      unit: 's',
      goal: 'reference peer (ours: < 2 s)',
      run: async () => {
        const d = prepare();
        const t0 = process.hrtime.bigint();
        const r = spawnSync('openssl', ['ca', '-config', 'ca.cnf', '-gencrl', '-keyfile', 'ca.key', '-cert', 'ca.pem', '-out', 'crl.pem'], { cwd: d, encoding: 'utf8' });
        const s = Number(process.hrtime.bigint() - t0) / 1e9;
        if (r.status !== 0) throw new Error(r.stderr);
        return s;
      },
      teardown: async () => {
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
      },
    },
  ];
}
