import { randomUUID, X509Certificate } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { Clock, CLOCK } from '@iis/config';
import { CaCertsReply, CertificateSearchReply, CertificateSearchRequest, DomainError, ErrorCode, OperatorSubjects, Subjects } from '@iis/contracts';
import { RpcClient } from '@iis/messaging';
import { RPC } from '@iis/runtime';
import type { Operator } from '../auth/operator-tokens.service';
import type { Role } from '../auth/permissions';
import { OperatorCertificateEntity } from './operator-certificate.entity';
import { fingerprintOf, operatorCertificateFacts, parseCertificate } from './operator-certificate.rules';

export interface OperatorCertificateView {
  id: string;
  name: string;
  role: Role;
  fingerprint: string;
  serial: string;
  subject: string;
  notAfter: string;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
  status: 'active' | 'expired' | 'revoked';
}

const CHAIN_CACHE_MS = 5 * 60_000;

/** Operator mTLS credentials: bind, list, unbind, and authenticate a verified peer certificate. */
@Injectable()
export class OperatorCertificatesService {
  private chain: { at: number; certs: X509Certificate[] } | undefined;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(RPC) private readonly rpc: RpcClient,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The CA chain (issuing CAs and root), from the CA, cached a few minutes. */
  async caChain(): Promise<X509Certificate[]> {
    const now = Date.now();
    if (!this.chain || now - this.chain.at > CHAIN_CACHE_MS) {
      const reply = await this.rpc.request<Record<string, never>, CaCertsReply>(Subjects.ca.caCerts, {}, 5000);
      this.chain = { at: now, certs: reply.certificates.map((b64) => new X509Certificate(Buffer.from(b64, 'base64'))) };
    }
    return this.chain.certs;
  }

  async bind(input: { name: string; role: Role; certificate: string }, by: Operator): Promise<OperatorCertificateView> {
    const now = this.clock.now();
    const facts = operatorCertificateFacts(parseCertificate(input.certificate), await this.caChain(), now);
    const repo = this.ds.getRepository(OperatorCertificateEntity);
    if (await repo.exists({ where: { fingerprint: facts.fingerprint, revokedAt: IsNull() } })) {
      throw new DomainError(ErrorCode.Conflict, 'this certificate is already bound to an operator');
    }
    const row: OperatorCertificateEntity = {
      id: randomUUID(), name: input.name, role: input.role, fingerprint: facts.fingerprint, serial: facts.serial, subject: facts.subject.slice(0, 512),
      notAfter: facts.notAfter, createdAt: now, createdBy: by.name, revokedAt: null,
    };
    await repo.insert(row);
    return toView(row, now);
  }

  async list(): Promise<OperatorCertificateView[]> {
    const now = this.clock.now();
    return (await this.ds.getRepository(OperatorCertificateEntity).find({ order: { createdAt: 'ASC' }, take: 1000 })).map((r) => toView(r, now));
  }

  async unbind(id: string): Promise<OperatorCertificateView> {
    const repo = this.ds.getRepository(OperatorCertificateEntity);
    const row = await repo.findOneBy({ id });
    if (!row) throw new DomainError(ErrorCode.NotFound, `no operator certificate with id ${id}`);
    if (!row.revokedAt) {
      row.revokedAt = this.clock.now();
      await repo.update({ id }, { revokedAt: row.revokedAt });
    }
    return toView(row, this.clock.now());
  }

  /**
   * The TLS handshake already proved the chain and key possession. The certificate must also be
   * bound (and not unbound), unexpired, and not revoked at the CA: asked on every request, and a
   * CA that does not answer means no entry (fail closed).
   */
  async authenticate(peerDer: Buffer): Promise<Operator | null> {
    const fingerprint = fingerprintOf(new X509Certificate(peerDer));
    const row = await this.ds.getRepository(OperatorCertificateEntity).findOneBy({ fingerprint, revokedAt: IsNull() });
    if (!row || new Date(row.notAfter) <= this.clock.now()) return null;
    const found = await this.rpc.request<CertificateSearchRequest, CertificateSearchReply>(OperatorSubjects.ca.searchCertificates, { serial: row.serial, limit: 1 }, 5000);
    if (found.certificates.length === 0 || found.certificates[0].status !== 'valid') return null;
    return { id: row.id, name: row.name, role: row.role };
  }
}

function toView(r: OperatorCertificateEntity, now: Date): OperatorCertificateView {
  const status = r.revokedAt ? 'revoked' : new Date(r.notAfter) <= now ? 'expired' : 'active';
  return {
    id: r.id, name: r.name, role: r.role, fingerprint: r.fingerprint, serial: r.serial, subject: r.subject,
    notAfter: new Date(r.notAfter).toISOString(), createdAt: new Date(r.createdAt).toISOString(), createdBy: r.createdBy,
    revokedAt: r.revokedAt ? new Date(r.revokedAt).toISOString() : null, status,
  };
}
