import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { run, runAsync, RunResult } from './run';

export interface EstCallOptions {
  method?: string;
  user?: string;
  password?: string;
  body?: string;
  contentType?: string;
  cert?: string;
  key?: string;
  tls?: '1.2' | '1.3';
  extra?: string[];
}

/** EST calls as a device makes them with curl; every answer is kept in a file for openssl. */
export class CurlEst {
  private n = 0;

  constructor(
    readonly estUrl: string,
    readonly caFile: string,
    readonly dir: string,
  ) {}

  call(op: string, opts: EstCallOptions = {}) {
    const c = this.curlArgs(op, opts);
    return c.result(run('curl', c.args));
  }

  /** The same call without blocking the test process, so several devices can enroll at once. */
  async callAsync(op: string, opts: EstCallOptions = {}) {
    const c = this.curlArgs(op, opts);
    return c.result(await runAsync('curl', c.args));
  }

  private curlArgs(op: string, opts: EstCallOptions) {
    const out = path.join(this.dir, `resp-${++this.n}`);
    const hdr = out + '.h';
    const args = ['-s', '--cacert', this.caFile, '-o', out, '-D', hdr, '-w', '%{http_code}', '-X', opts.method ?? (opts.body ? 'POST' : 'GET')];
    if (opts.body) args.push('-H', `Content-Type: ${opts.contentType ?? 'application/pkcs10'}`, '--data-binary', `@${opts.body}`);
    if (opts.user !== undefined) args.push('-u', `${opts.user}:${opts.password ?? ''}`);
    if (opts.cert) args.push('--cert', opts.cert, '--key', opts.key!);
    if (opts.tls) args.push(`--tlsv${opts.tls}`, '--tls-max', opts.tls);
    args.push(...(opts.extra ?? []), `${this.estUrl}/${op}`);
    const result = (r: RunResult) => {
      const headers = fs.existsSync(hdr) ? fs.readFileSync(hdr, 'utf8') : '';
      const header = (name: string) => new RegExp(`^${name}:\\s*(.+?)\\r?$`, 'im').exec(headers)?.[1];
      return { status: Number(r.stdout.trim()), file: out, body: fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '', header, curlError: r.stderr };
    };
    return { args, result };
  }
}

/** openssl: a key and a base64 DER CSR. `subj` like "/CN=x"; `args` add e.g. -addext. */
export function makeCsr(dir: string, name: string, opts: { subj?: string; keyArgs?: string[]; args?: string[]; config?: string } = {}) {
  const key = path.join(dir, `${name}.key`);
  const der = path.join(dir, `${name}.csr.der`);
  const b64 = path.join(dir, `${name}.csr.b64`);
  const keyArgs = opts.keyArgs ?? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
  const args = ['req', '-new', ...keyArgs, '-nodes', '-keyout', key, '-outform', 'DER', '-out', der, ...(opts.config ? ['-config', opts.config] : ['-subj', opts.subj ?? `/CN=${name}`]), ...(opts.args ?? [])];
  const r = run('openssl', args);
  if (r.code !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
  fs.writeFileSync(b64, fs.readFileSync(der).toString('base64').replace(/(.{64})/g, '$1\n') + '\n');
  return { key, der, b64 };
}

/** base64 certs-only PKCS#7 → PEM file (openssl). */
export function certFromCertsOnly(file: string): string {
  const der = file + '.p7.der';
  const pem = file + '.pem';
  fs.writeFileSync(der, Buffer.from(fs.readFileSync(file, 'utf8'), 'base64'));
  const p = run('openssl', ['pkcs7', '-inform', 'DER', '-in', der, '-print_certs', '-out', pem]);
  if (p.code !== 0) throw new Error(p.stderr);
  return pem;
}

/**
 * A device that links its CSR to the TLS channel (RFC 7030 3.5): it opens the TLS
 * connection first, reads the channel binding (tls-unique on TLS 1.2: its own Finished in a
 * full handshake; tls-exporter on TLS 1.3), has openssl put it in challengePassword, then
 * sends simpleenroll on that same connection. `tamper` sends another connection's value.
 */
export async function enrollWithChannelBinding(o: {
  port: number;
  caFile: string;
  dir: string;
  path: string;
  user: string;
  password: string;
  version: 'TLSv1.2' | 'TLSv1.3';
  tamper?: boolean;
}): Promise<{ status: number; body: string }> {
  const sock = tls.connect({ host: '127.0.0.1', port: o.port, servername: 'localhost', ca: fs.readFileSync(o.caFile), minVersion: o.version, maxVersion: o.version });
  await new Promise<void>((resolve, reject) => {
    sock.once('secureConnect', resolve);
    sock.once('error', reject);
  });
  let binding = o.version === 'TLSv1.3' ? sock.exportKeyingMaterial(32, 'EXPORTER-Channel-Binding', Buffer.alloc(0)) : sock.getFinished()!;
  if (o.tamper) binding = Buffer.from(binding.map((b) => b ^ 0xff));
  const cfg = path.join(o.dir, `pop-${Date.now()}-${Math.random().toString(36).slice(2)}.cnf`);
  fs.writeFileSync(cfg, `[req]\nprompt = no\ndistinguished_name = dn\nattributes = attrs\n[dn]\nCN = pop-device\n[attrs]\nchallengePassword = ${binding.toString('base64')}\n`);
  const csr = makeCsr(o.dir, path.basename(cfg, '.cnf'), { config: cfg });
  const body = fs.readFileSync(csr.b64);
  const auth = Buffer.from(`${o.user}:${o.password}`).toString('base64');
  sock.write(`POST ${o.path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Basic ${auth}\r\nContent-Type: application/pkcs10\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`);
  sock.write(body);
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve) => {
    sock.on('data', (c: Buffer) => chunks.push(c));
    sock.on('end', resolve);
    sock.on('close', resolve);
    sock.on('error', () => resolve());
  });
  const text = Buffer.concat(chunks).toString('latin1');
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), body: text.slice(text.indexOf('\r\n\r\n') + 4) };
}
