import * as fs from 'node:fs';
import * as path from 'node:path';
import { IssueCertificateRequest, IssuedCertificate, Subjects } from '@iis/contracts';
import { connectNats, RpcClient } from '@iis/messaging';
import { toPem } from '@iis/pki';
import { run } from './run';

/**
 * A broker's own TLS identity, as a gateway gets it: a key made with openssl and a
 * certificate from the suite's CA (server profile) over NATS. Returns the PEM file paths;
 * the certificate file holds the leaf and the issuing CA.
 */
export async function brokerIdentity(natsUrl: string, dir: string): Promise<{ keyFile: string; certFile: string }> {
  const keyFile = path.join(dir, 'broker.key');
  const csr = path.join(dir, 'broker.csr.der');
  const r = run('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-subj', '/CN=broker', '-outform', 'DER', '-out', csr]);
  if (r.code !== 0) throw new Error(r.stderr);
  const nc = await connectNats(natsUrl, 'e2e-broker-identity');
  try {
    const issued = await new RpcClient(nc).request<IssueCertificateRequest, IssuedCertificate>(Subjects.ca.issue, {
      csr: fs.readFileSync(csr).toString('base64'),
      profile: 'server',
      subject: { commonName: 'localhost', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] },
      ttlSeconds: 86400,
    });
    const certFile = path.join(dir, 'broker.pem');
    fs.writeFileSync(certFile, [issued.certificate, ...issued.chain.slice(0, -1)].map((c) => toPem(Buffer.from(c, 'base64'), 'CERTIFICATE')).join(''));
    return { keyFile, certFile };
  } finally {
    await nc.close();
  }
}
