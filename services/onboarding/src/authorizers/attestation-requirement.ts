import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock, CLOCK } from '@iis/config';
import { AttestationResultView, DomainError, ErrorCode, GetAttestationResultRequest, RedeemAttestationResultReply, RedeemAttestationResultRequest, ReleaseAttestationResultReply, ReleaseAttestationResultRequest, Subjects } from '@iis/contracts';
import { RpcClient } from '@iis/messaging';
import { RPC } from '@iis/runtime';
import { EST_SETTINGS, EstSettings } from '../est/est-settings';
import { Authorization, EnrollmentRequestContext } from './enrollment-authorizer';

/**
 * Attestation evidence verified by the attestation service before a certificate is issued,
 * where the device class requires it (EST_ATTESTATION_REQUIRED_CLASSES). Applied on top of
 * whichever method proved the device: the result named in the Attestation-Result header must
 * be for this device, unexpired and unused; it is checked over NATS before anything is spent
 * and redeemed (single use) when the enrollment commits. Should no certificate come of it (the
 * CA refuses, fails or cannot be reached after the commit), the same redemption releases it, so
 * the device retries with the same result.
 */
@Injectable()
export class AttestationRequirement {
  private readonly logger = new Logger('est.attestation');
  private readonly classes: Set<string>;

  constructor(
    @Inject(RPC) private readonly rpc: RpcClient,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(EST_SETTINGS) settings: EstSettings,
  ) {
    this.classes = new Set(settings.attestationRequiredClasses);
  }

  async apply(ctx: EnrollmentRequestContext, auth: Authorization): Promise<Authorization> {
    // Re-enrollment renews an identity that was attested when it was first issued.
    if (ctx.operation === 'simplereenroll' || !this.classes.has(auth.device.deviceClass)) return auth;
    const id = ctx.attestationResultId;
    if (!id) throw new DomainError(ErrorCode.AttestationRequired, `device class "${auth.device.deviceClass}" requires attestation: send a verified attestation result id in the Attestation-Result header`);
    const result = await this.rpc.request<GetAttestationResultRequest, AttestationResultView>(Subjects.attestation.getResult, { id }).catch((e: unknown) => {
      throw e instanceof DomainError && e.code === ErrorCode.NotFound ? new DomainError(ErrorCode.AttestationRequired, `unknown attestation result ${id}`) : e;
    });
    const problem =
      result.deviceId !== auth.device.id ? 'is for another device' : result.usedAt ? 'was already used' : Date.parse(result.expiresAt) <= this.clock.now().getTime() ? 'expired' : result.verdict !== 'pass' ? 'did not pass' : null;
    if (problem) throw new DomainError(ErrorCode.AttestationRequired, `attestation result ${id} ${problem}`);
    const redemptionId = randomUUID();
    return {
      ...auth,
      authorizer: `${auth.authorizer}+${result.evidenceType}`,
      attestationResultId: id,
      commit: async () => {
        if (!(await auth.commit())) return false;
        try {
          await this.rpc.request<RedeemAttestationResultRequest, RedeemAttestationResultReply>(Subjects.attestation.redeemResult, { id, deviceId: auth.device.id, redemptionId });
        } catch (e) {
          await auth.rollback();
          throw e;
        }
        return true;
      },
      release: async () => {
        try {
          await this.rpc.request<ReleaseAttestationResultRequest, ReleaseAttestationResultReply>(Subjects.attestation.releaseResult, { id, deviceId: auth.device.id, redemptionId });
        } catch (e) {
          // The enrollment's own error is what the device hears; this one is for the operator.
          this.logger.error(`attestation result ${id} of device ${auth.device.id} not released: ${(e as Error).message}`);
        }
      },
    };
  }
}
