import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  DecisionReply,
  DecisionRequest,
  DomainError,
  ErrorCode,
  IssueCertificateRequest,
  IssuedCertificate,
  Subjects,
} from '@iis/contracts';
import { RpcClient } from '@iis/messaging';
import { createCsr, DeviceCsr, generateKeyPair, PkiError, subtle, verifyDeviceCsr } from '@iis/pki';
import { RPC } from '@iis/runtime';
import { Authorization, EnrollmentRequestContext } from '../authorizers/enrollment-authorizer';
import { EnrollmentAuthorizerChain } from '../authorizers/enrollment-authorizer-chain';
import { parseCertificate } from '../authorizers/current-certificate';
import { BatchWriter } from '@iis/persistence';
import { EnrollmentRecordEntity } from '../enrollments/enrollment-record.entity';
import { enrollmentRecordWriter } from '../enrollments/enrollment-record-writer';
import { PendingEnrollmentsService } from '../enrollments/pending-enrollments.service';
import { certificateKeySha256 } from '../registry/certificate-key';
import { RegistryService } from '../registry/registry.service';
import { checkKeyType, checkProofOfPossession, checkReenrollIdentity } from './csr-rules';
import { decodeEstBase64, requirePkcs10ContentType } from './est-body';
import { ttlFor } from './est-label-rules';
import { EstLabelsService } from './est-labels.service';
import { issueIdempotencyKey } from './issue-idempotency-key';
import { EST_SETTINGS, EstSettings } from './est-settings';
import { RateLimiter } from './rate-limiter';

export interface EstEnrollCommand extends Omit<EnrollmentRequestContext, 'label'> {
  /** The label segment of the URL; undefined without one. */
  labelSegment: string | undefined;
  contentType: string | undefined;
  /** Reads the body (bounded); called only after the cheap checks. */
  readBody: () => Promise<Buffer>;
  /** tls-unique (TLS 1.2) or tls-exporter (TLS 1.3) of the connection, computed on demand. */
  channelBinding: () => Buffer | null;
}

function deviceCsr(der: Buffer): DeviceCsr {
  try {
    return verifyDeviceCsr(der);
  } catch (e) {
    throw e instanceof PkiError ? new DomainError(ErrorCode.BadCsr, e.message) : e;
  }
}

export type EstEnrollResult =
  | { kind: 'issued'; issued: IssuedCertificate; privateKeyPkcs8?: Buffer }
  | { kind: 'pending'; pendingId: string; retryAfterSeconds: number };

/**
 * simpleenroll, simplereenroll and serverkeygen (RFC 7030 4.2, 4.4): rate limits, label,
 * authorization, CSR checks, policy, operator approval where the label asks for it, the CA
 * over NATS, and a record of every attempt. The subject comes from the registry.
 */
@Injectable()
export class EstEnrollUseCase {
  private readonly logger = new Logger('est.enroll');
  private readonly perAddress: RateLimiter;
  private readonly perDevice: RateLimiter;
  private readonly records: BatchWriter<Partial<EnrollmentRecordEntity>>;

  constructor(
    @InjectDataSource() ds: DataSource,
    @Inject(RPC) private readonly rpc: RpcClient,
    @Inject(EST_SETTINGS) private readonly settings: EstSettings,
    private readonly authorizers: EnrollmentAuthorizerChain,
    private readonly registry: RegistryService,
    private readonly labels: EstLabelsService,
    private readonly pending: PendingEnrollmentsService,
  ) {
    this.perAddress = new RateLimiter(settings.ratePerAddressPerMinute);
    this.perDevice = new RateLimiter(settings.ratePerDevicePerMinute);
    this.records = enrollmentRecordWriter(ds);
  }

  async execute(cmd: EstEnrollCommand): Promise<EstEnrollResult> {
    const clientCert = cmd.clientCertificate ? parseCertificate(cmd.clientCertificate.der) : null;
    const record: Partial<EnrollmentRecordEntity> = {
      id: randomUUID(),
      operation: cmd.operation,
      label: cmd.labelSegment?.slice(0, 64) ?? null,
      claimedSerial: cmd.basic?.username?.slice(0, 64) ?? null,
      sourceAddress: cmd.sourceAddress?.slice(0, 64) ?? null,
      clientCertificate: clientCert ? clientCert.subject.slice(0, 300) : cmd.clientCertificate ? '(unparseable)' : null,
    };
    let auth: Authorization | undefined;
    let committed = false;
    let certificateIssued = false;
    let pendingId: string | undefined;
    try {
      this.limit(this.perAddress, cmd.sourceAddress ?? '', 'source address');
      const label = await this.labels.resolve(cmd.labelSegment);
      requirePkcs10ContentType(cmd.contentType);
      const body = await cmd.readBody();
      const deviceKey = cmd.basic?.username ?? (cmd.clientCertificate ? createHash('sha256').update(cmd.clientCertificate.der).digest('hex') : null);
      if (deviceKey) this.limit(this.perDevice, deviceKey, 'device');

      auth = await this.authorizers.authorize({ ...cmd, label: label.name });
      record.deviceId = auth.device.id;
      record.authorizer = auth.authorizer;
      record.attestationId = auth.attestationResultId ?? null;
      record.claimedSerial ??= auth.device.serial;

      // The CSR is checked before anything is spent: a device that sent garbage can retry.
      const csrDer = decodeEstBase64(body);
      // Parsed once, with node:crypto; what the checks below need comes from this parse.
      const csr = deviceCsr(csrDer);
      if (cmd.operation !== 'serverkeygen') checkKeyType(csr.keyDescription, label.keyTypes);
      const challengePassword = csr.challengePassword;
      checkProofOfPossession(challengePassword, challengePassword !== null ? cmd.channelBinding() : null, label.requireProofOfPossession);
      if (cmd.operation === 'simplereenroll') checkReenrollIdentity(csrDer, auth.currentCertificate!);

      const found = auth.sim !== undefined ? { device: auth.device, sim: auth.sim } : await this.registry.findDevice({ id: auth.device.id });
      const decision = await this.rpc.request<DecisionRequest, DecisionReply>(Subjects.policy.decide, {
        deviceId: auth.device.id,
        deviceStatus: found?.device.status ?? null,
        simStatus: found?.sim?.status ?? null,
        action: cmd.operation === 'simplereenroll' ? 'reenroll' : 'enroll',
        ...(auth.attestationResultId ? { attestationResultId: auth.attestationResultId } : {}),
      });
      record.decisionId = decision.decisionId;
      if (decision.outcome !== 'allow') throw new DomainError(ErrorCode.PolicyDenied, `policy ${decision.policyVersion} denied enrollment: ${decision.reasons.join('; ')}`);

      if (label.requireApproval && cmd.operation !== 'simplereenroll') {
        const p = await this.pending.findOrCreate(auth.device.id, label.name, createHash('sha256').update(csrDer).digest('hex'));
        record.pendingId = p.id;
        if (p.status === 'rejected') throw new DomainError(ErrorCode.Forbidden, `an operator rejected enrollment request ${p.id}`);
        if (p.status === 'pending') {
          await this.save({ ...record, outcome: 'pending', reason: `waiting for operator approval of ${p.id}` });
          return { kind: 'pending', pendingId: p.id, retryAfterSeconds: this.settings.pendingRetryAfterSeconds };
        }
        if (!(await this.pending.complete(p.id))) throw new DomainError(ErrorCode.Conflict, `enrollment request ${p.id} was completed by a concurrent request`);
        pendingId = p.id;
      }

      if (!(await auth.commit())) throw new DomainError(ErrorCode.Unauthorized, 'the enrollment secret was used by a concurrent request');
      committed = true;
      let issueCsr = csrDer;
      let privateKeyPkcs8: Buffer | undefined;
      if (cmd.operation === 'serverkeygen') {
        // RFC 7030 4.4: the server makes the key; the client's CSR only carried the request.
        const keys = await generateKeyPair('P-256');
        issueCsr = await createCsr(keys, auth.device.serial);
        privateKeyPkcs8 = Buffer.from(await subtle.exportKey('pkcs8', keys.privateKey));
      }
      const issued = await this.rpc.request<IssueCertificateRequest, IssuedCertificate>(Subjects.ca.issue, {
        csr: issueCsr.toString('base64'),
        profile: label.profile,
        subject: { commonName: auth.device.serial, deviceId: auth.device.id },
        ttlSeconds: ttlFor(decision.ttlSeconds, label),
        deviceId: auth.device.id,
        iccid: found?.sim?.iccid,
        ...(auth.attestationResultId ? { attestationResultId: auth.attestationResultId } : {}),
        idempotencyKey:
          cmd.operation === 'serverkeygen' ? undefined : issueIdempotencyKey({ operation: cmd.operation, label: label.name, deviceId: auth.device.id, grant: auth.grant, csrDer }),
      });
      certificateIssued = true;
      if (auth.device.status === 'pending') await this.registry.markEnrolled(auth.device.id);
      if (found?.sim) await this.bindSimKey(auth.device.id, found.sim.keySha256 ?? null, issued);
      await this.save({ ...record, outcome: 'issued', certificateSerial: issued.serial });
      return { kind: 'issued', issued, privateKeyPkcs8 };
    } catch (e) {
      const code = e instanceof DomainError ? e.code : ErrorCode.Internal;
      // Not the device's fault (CA or policy unreachable): give the one-time secret back.
      if (committed && auth && (code === ErrorCode.Unavailable || code === ErrorCode.Internal)) {
        await auth.rollback();
        if (pendingId) await this.pending.reopen(pendingId);
      }
      // Refused or failed after the commit, no certificate: the attestation result is given back.
      if (committed && auth && !certificateIssued) await auth.release?.();
      const refused = code !== ErrorCode.Unavailable && code !== ErrorCode.Internal;
      await this.save({ ...record, outcome: refused ? 'refused' : 'failed', errorCode: code, reason: (e as Error).message?.slice(0, 500) ?? null });
      throw e;
    }
  }

  private limit(limiter: RateLimiter, key: string, what: string): void {
    const wait = limiter.take(key);
    if (wait > 0) throw new DomainError(ErrorCode.TooManyRequests, `too many enrollment requests from this ${what}; retry after ${wait} s`, wait);
  }

  /** The issued key becomes the SIM's bound key (SIM attestation). Issued is issued: a failure here is logged, not the device's. */
  private async bindSimKey(deviceId: string, bound: string | null, issued: IssuedCertificate): Promise<void> {
    try {
      const key = certificateKeySha256(issued.certificate);
      if (key !== bound) await this.registry.bindSimKey(deviceId, key);
    } catch (e) {
      this.logger.error(`SIM key of device ${deviceId} not bound to certificate ${issued.serial}: ${(e as Error).message}`);
    }
  }

  private async save(record: Partial<EnrollmentRecordEntity>): Promise<void> {
    try {
      await this.records.add({ ...record, createdAt: new Date() });
    } catch (e) {
      // The answer to the device does not depend on the record; losing one is logged loudly.
      this.logger.error(`enrollment record ${record.id} not stored: ${(e as Error).message}`);
    }
  }
}
