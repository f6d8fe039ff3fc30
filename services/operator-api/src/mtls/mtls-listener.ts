import { createPrivateKey } from 'node:crypto';
import * as https from 'node:https';
import { isIP } from 'node:net';
import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { CaCertsReply, DomainError, ErrorCode, IssueCertificateRequest, IssuedCertificate, Subjects } from '@iis/contracts';
import { RpcClient } from '@iis/messaging';
import { createCsr, generateKeyPair, subtle, toPem } from '@iis/pki';
import type { MtlsConfig } from './mtls-config';

const SERVER_CERT_TTL_SECONDS = 7 * 86400;

/**
 * A second listener for the same routes, HTTPS with client certificates required: the TLS layer
 * refuses a certificate that does not chain to the suite's CA; the guard then requires it to be
 * bound to an operator and not revoked. Its server certificate comes from the CA (server profile).
 */
@Injectable()
export class MtlsListener implements OnApplicationShutdown {
  private readonly logger = new Logger('operator-api.mtls');
  private server: https.Server | undefined;

  async start(app: INestApplication, rpc: RpcClient, config: MtlsConfig): Promise<void> {
    const keys = await generateKeyPair('P-256');
    const dnsNames = config.hostnames.filter((h) => !isIP(h));
    const ipAddresses = [...config.hostnames.filter((h) => isIP(h)), ...(dnsNames.includes('localhost') ? ['127.0.0.1', '::1'] : [])];
    const request: IssueCertificateRequest = {
      csr: (await createCsr(keys, config.hostnames[0] ?? 'localhost')).toString('base64'),
      profile: 'server',
      subject: { commonName: config.hostnames[0] ?? 'localhost', dnsNames, ipAddresses },
      ttlSeconds: SERVER_CERT_TTL_SECONDS,
    };
    const issued = await this.withRetry(() => rpc.request<IssueCertificateRequest, IssuedCertificate>(Subjects.ca.issue, request, 3000));
    const chain = await this.withRetry(() => rpc.request<Record<string, never>, CaCertsReply>(Subjects.ca.caCerts, {}, 3000));
    const pkcs8 = Buffer.from(await subtle.exportKey('pkcs8', keys.privateKey));
    const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({ format: 'pem', type: 'pkcs8' }) as string;
    const pem = (b64: string) => toPem(Buffer.from(b64, 'base64'), 'CERTIFICATE');
    const cert = [issued.certificate, ...issued.chain.slice(0, -1)].map(pem).join('');
    this.server = https.createServer(
      { key, cert, ca: chain.certificates.map(pem), requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2' },
      app.getHttpAdapter().getInstance(),
    );
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(config.port, config.host, () => resolve());
    });
    this.logger.log(`mTLS listener on https://${config.host}:${(this.server.address() as { port: number }).port} (client certificates from the suite's CA)`);
  }

  private async withRetry<T>(call: () => Promise<T>): Promise<T> {
    const until = Date.now() + 60_000;
    for (;;) {
      try {
        return await call();
      } catch (e) {
        if (!(e instanceof DomainError) || e.code !== ErrorCode.Unavailable || Date.now() > until) throw e;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  onApplicationShutdown(): void {
    this.server?.closeAllConnections();
    this.server?.close();
  }
}
