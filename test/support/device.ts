import * as fs from 'node:fs';
import * as path from 'node:path';
import { run } from './run';

/** A device as openssl and curl play it: its own key, a CSR, EST over HTTPS. */
export class OpensslDevice {
  readonly keyFile: string;
  readonly csrB64File: string;

  constructor(
    readonly dir: string,
    readonly name: string,
  ) {
    this.keyFile = path.join(dir, `${name}.key`);
    this.csrB64File = path.join(dir, `${name}.csr.b64`);
    const der = path.join(dir, `${name}.csr.der`);
    const r = run('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', this.keyFile, '-subj', `/CN=${name}-as-it-likes`, '-outform', 'DER', '-out', der]);
    if (r.code !== 0) throw new Error(r.stderr);
    fs.writeFileSync(this.csrB64File, fs.readFileSync(der).toString('base64').replace(/(.{64})/g, '$1\n') + '\n');
  }

  /** POST to simpleenroll with curl; returns the HTTP status and the body file. */
  enroll(estUrl: string, caFile: string, user: string | null, password: string | null, opts: { body?: string; contentType?: string } = {}) {
    const out = path.join(this.dir, `${this.name}-${Date.now()}-${Math.random().toString(36).slice(2)}.resp`);
    const args = ['-s', '--cacert', caFile, '-o', out, '-w', '%{http_code} %{content_type}', '-H', `Content-Type: ${opts.contentType ?? 'application/pkcs10'}`, '--data-binary', `@${opts.body ?? this.csrB64File}`];
    if (user !== null) args.push('-u', `${user}:${password ?? ''}`);
    args.push(`${estUrl}/simpleenroll`);
    const r = run('curl', args);
    const [status, ...ct] = r.stdout.trim().split(' ');
    return { status: Number(status), contentType: ct.join(' '), bodyFile: out, body: fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '' };
  }

  /** base64 certs-only PKCS#7 → PEM certificate file, with openssl. */
  certificateFromResponse(bodyFile: string): string {
    const der = bodyFile + '.der';
    const pem = bodyFile + '.pem';
    const b = run('openssl', ['base64', '-d', '-in', bodyFile, '-out', der]);
    if (b.code !== 0) throw new Error(b.stderr);
    const p = run('openssl', ['pkcs7', '-inform', 'DER', '-in', der, '-print_certs', '-out', pem]);
    if (p.code !== 0) throw new Error(p.stderr);
    return pem;
  }
}
