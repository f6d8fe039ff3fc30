import { randomUUID } from 'node:crypto';
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
import { PkiError, verifyCsr } from '@iis/pki';
import { Authorization, EnrollmentRequestContext } from '../authorizers/enrollment-authorizer';
import { EnrollmentAuthorizerChain } from '../authorizers/enrollment-authorizer-chain';
import { EnrollmentRecordEntity } from '../enrollments/enrollment-record.entity';
import { RPC } from '@iis/runtime';
import { RegistryService } from '../registry/registry.service';
import { decodeEstBase64 } from './est-body';

export interface EnrollCommand extends EnrollmentRequestContext {
  /** The request body as received: base64 DER PKCS#10, decoded only after authorization. */
  body: Buffer;
}

/**
 * simpleenroll (RFC 7030 4.2.1): authorize, check the CSR, ask policy, have the CA sign,
 * record the outcome. The subject comes from the registry, never from the CSR.
 */
@Injectable()
export class EnrollUseCase {
  private readonly logger = new Logger('est.enroll');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(RPC) private readonly rpc: RpcClient,
    private readonly authorizers: EnrollmentAuthorizerChain,
    private readonly registry: RegistryService,
  ) {}

  async execute(cmd: EnrollCommand): Promise<IssuedCertificate> {
    const record: Partial<EnrollmentRecordEntity> = {
      id: randomUUID(),
      operation: cmd.operation,
      claimedSerial: cmd.basic?.username?.slice(0, 64) ?? null,
      sourceAddress: cmd.sourceAddress,
    };
    let auth: Authorization | undefined;
    let committed = false;
    try {
      auth = await this.authorizers.authorize(cmd);
      record.deviceId = auth.device.id;
      record.authorizer = auth.authorizer;

      // The CSR is checked before the secret is spent: a device that sent garbage can retry.
      const csrDer = decodeEstBase64(cmd.body);
      await verifyCsr(csrDer).catch((e: unknown) => {
        throw e instanceof PkiError ? new DomainError(ErrorCode.BadCsr, e.message) : e;
      });

      const found = await this.registry.findDevice({ id: auth.device.id });
      const decision = await this.rpc.request<DecisionRequest, DecisionReply>(Subjects.policy.decide, {
        deviceId: auth.device.id,
        deviceStatus: found?.device.status ?? null,
        simStatus: found?.sim?.status ?? null,
        action: 'enroll',
      });
      record.decisionId = decision.decisionId;
      if (decision.outcome !== 'allow') throw new DomainError(ErrorCode.PolicyDenied, `policy ${decision.policyVersion} denied enrollment: ${decision.reasons.join('; ')}`);

      if (!(await auth.commit())) throw new DomainError(ErrorCode.Unauthorized, 'the enrollment secret was used by a concurrent request');
      committed = true;
      const issued = await this.rpc.request<IssueCertificateRequest, IssuedCertificate>(Subjects.ca.issue, {
        csr: csrDer.toString('base64'),
        profile: 'device',
        subject: { commonName: auth.device.serial, deviceId: auth.device.id },
        ttlSeconds: decision.ttlSeconds,
        deviceId: auth.device.id,
        iccid: found?.sim?.iccid,
      });
      await this.registry.markEnrolled(auth.device.id);
      await this.save({ ...record, outcome: 'issued', certificateSerial: issued.serial });
      return issued;
    } catch (e) {
      const code = e instanceof DomainError ? e.code : ErrorCode.Internal;
      // Not the device's fault (CA or policy unreachable): give the one-time secret back.
      if (committed && auth && (code === ErrorCode.Unavailable || code === ErrorCode.Internal)) await auth.rollback();
      const refused = code !== ErrorCode.Unavailable && code !== ErrorCode.Internal;
      await this.save({ ...record, outcome: refused ? 'refused' : 'failed', errorCode: code, reason: (e as Error).message?.slice(0, 500) ?? null });
      throw e;
    }
  }

  private async save(record: Partial<EnrollmentRecordEntity>): Promise<void> {
    try {
      await this.ds.getRepository(EnrollmentRecordEntity).insert(record);
    } catch (e) {
      // The answer to the device does not depend on the record; losing one is logged loudly.
      this.logger.error(`enrollment record ${record.id} not stored: ${(e as Error).message}`);
    }
  }
}
