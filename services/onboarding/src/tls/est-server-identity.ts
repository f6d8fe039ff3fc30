import { Logger } from '@nestjs/common';
import { createPrivateKey } from 'node:crypto';
import { IssueCertificateRequest, IssuedCertificate, Subjects, DomainError, ErrorCode } from '@iis/contracts';
import { RpcClient } from '@iis/messaging';
import { createCsr, generateKeyPair, subtle, toPem } from '@iis/pki';
import { isIP } from 'node:net';

export interface TlsIdentity {
  key: string;
  /** Leaf first, then the issuing CA, so clients holding only the root can build the path. */
  cert: string;
}

const SERVER_CERT_TTL_SECONDS = 7 * 86400;

/**
 * The EST listener's own certificate, issued by the suite's CA (server profile) at start,
 * so a device can verify the server with the CA chain alone. The key never leaves memory.
 * The CA may still be starting: ask until it answers or the deadline passes.
 */
export async function obtainEstServerIdentity(rpc: RpcClient, hostnames: string[], deadlineMs = 60_000): Promise<TlsIdentity> {
  const logger = new Logger('est.tls');
  const keys = await generateKeyPair('P-256');
  const csr = await createCsr(keys, hostnames[0] ?? 'localhost');
  const dnsNames = hostnames.filter((h) => !isIP(h));
  const ipAddresses = [...hostnames.filter((h) => isIP(h)), ...(dnsNames.includes('localhost') ? ['127.0.0.1', '::1'] : [])];
  const request: IssueCertificateRequest = {
    csr: csr.toString('base64'),
    profile: 'server',
    subject: { commonName: hostnames[0] ?? 'localhost', dnsNames, ipAddresses },
    ttlSeconds: SERVER_CERT_TTL_SECONDS,
  };
  const until = Date.now() + deadlineMs;
  let issued: IssuedCertificate | undefined;
  while (!issued) {
    try {
      issued = await rpc.request<IssueCertificateRequest, IssuedCertificate>(Subjects.ca.issue, request, 3000);
    } catch (e) {
      if (!(e instanceof DomainError) || e.code !== ErrorCode.Unavailable || Date.now() > until) throw e;
      logger.log('waiting for the CA to issue the EST server certificate');
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  const pkcs8 = Buffer.from(await subtle.exportKey('pkcs8', keys.privateKey));
  const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({ format: 'pem', type: 'pkcs8' }) as string;
  const chainWithoutRoot = issued.chain.slice(0, -1);
  const cert = [issued.certificate, ...chainWithoutRoot].map((c) => toPem(Buffer.from(c, 'base64'), 'CERTIFICATE')).join('');
  logger.log(`EST server certificate ${issued.serial} valid until ${issued.notAfter}`);
  return { key, cert };
}
