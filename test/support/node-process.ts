import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from './run';
import { waitFor } from './wait';

export interface StartedNodeProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<void>;
}

/** Runs a built entry point with node, collecting its output, until `ready` shows in it (or it exits first). */
export async function startNodeProcess(entry: string, env: NodeJS.ProcessEnv, ready: RegExp, what: string, timeoutMs: number): Promise<StartedNodeProcess> {
  const child = spawn(process.execPath, [entry], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  await Promise.race([waitFor(() => out, ready, timeoutMs, what), exited.then(() => Promise.reject(new Error(`${what}: exited first:\n${out}`)))]);
  return { child, output: () => out, exited };
}

/** One P-256 CSR (base64 DER) made by openssl; the CA issues any number of certificates for it. */
export function opensslCsrBase64(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iis-csr-'));
  const der = path.join(dir, 'csr.der');
  run('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', path.join(dir, 'k.pem'), '-subj', '/CN=x', '-outform', 'DER', '-out', der]);
  return fs.readFileSync(der).toString('base64');
}
