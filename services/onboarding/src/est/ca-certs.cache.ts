import { Inject, Injectable } from '@nestjs/common';
import { CaCertsReply, Subjects } from '@iis/contracts';
import { RpcClient } from '@iis/messaging';
import { bytes, x509 } from '@iis/pki';
import { RPC } from '@iis/runtime';

export interface CaCerts {
  der: Buffer[];
  issuing: x509.X509Certificate[];
}

/** The CA chain from the CA over NATS, kept for a minute: cacerts and re-enroll read it often. */
@Injectable()
export class CaCertsCache {
  private value: { certs: CaCerts; until: number } | undefined;

  constructor(@Inject(RPC) private readonly rpc: RpcClient) {}

  async get(): Promise<CaCerts> {
    if (this.value && this.value.until > Date.now()) return this.value.certs;
    const reply = await this.rpc.request<Record<string, never>, CaCertsReply>(Subjects.ca.caCerts, {});
    const der = reply.certificates.map((c) => Buffer.from(c, 'base64'));
    const certs = { der, issuing: der.slice(0, Math.max(1, reply.issuerIds.length)).map((d) => new x509.X509Certificate(bytes(d))) };
    this.value = { certs, until: Date.now() + 60_000 };
    return certs;
  }
}
