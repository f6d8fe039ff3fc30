import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface NatsTlsFiles {
  /** The CA clients and leaf nodes trust (NODE_EXTRA_CA_CERTS for the services). */
  caFile: string;
  certFile: string;
  keyFile: string;
}

const DAY_SECONDS = 86_400;

/**
 * TLS for the local cluster's NATS, as deploy/README.md makes it for compose (openssl: a CA and
 * one server certificate for every node), here for loopback: the certificate names localhost and
 * 127.0.0.1. Made in `dir` on first start (keys mode 0600, in the data folder, never in the
 * repository) and kept while it has more than a day left, so clients that trust the CA keep working.
 */
export function ensureNatsTls(dir: string): NatsTlsFiles {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const files = { caFile: path.join(dir, 'ca.pem'), certFile: path.join(dir, 'server.pem'), keyFile: path.join(dir, 'server-key.pem') };
  if (Object.values(files).every((f) => fs.existsSync(f)) && validFor(files.certFile, DAY_SECONDS)) return files;
  const caKey = path.join(dir, 'ca-key.pem');
  const csr = path.join(dir, 'server.csr');
  const ext = path.join(dir, 'server.ext');
  const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '365', '-subj', '/CN=iis-local-nats-ca', '-keyout', caKey, '-out', files.caFile]);
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=iis-local-nats', '-keyout', files.keyFile, '-out', csr]);
  // serverAuth for clients and leaf nodes, clientAuth for the routes, which verify each other.
  fs.writeFileSync(ext, 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n');
  openssl(['x509', '-req', '-in', csr, '-CA', files.caFile, '-CAkey', caKey, '-CAcreateserial', '-days', '365', '-extfile', ext, '-out', files.certFile]);
  for (const f of [caKey, files.keyFile]) fs.chmodSync(f, 0o600);
  fs.rmSync(csr, { force: true });
  return files;
}

function validFor(certFile: string, seconds: number): boolean {
  try {
    execFileSync('openssl', ['x509', '-in', certFile, '-noout', '-checkend', String(seconds)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
