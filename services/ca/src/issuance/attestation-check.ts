import { Inject, Injectable } from '@nestjs/common';
import { AttestationResultView, DomainError, ErrorCode, GetAttestationResultRequest, Subjects } from '@iis/contracts';
import { RpcClient } from '@iis/messaging';
import { RPC } from '@iis/runtime';

/**
 * Issue 6: an issuance that rests on an attestation result names it, and the CA reads it by id
 * from the attestation service before signing: it must have passed, be the device's, and have
 * been spent (redeemed by the enrollment asking). Only attested issuances pay the look-up.
 */
@Injectable()
export class AttestationCheck {
  constructor(@Inject(RPC) private readonly rpc: RpcClient) {}

  async check(resultId: string, deviceId: string | undefined): Promise<void> {
    const result = await this.rpc.request<GetAttestationResultRequest, AttestationResultView>(Subjects.attestation.getResult, { id: resultId }).catch((e: unknown) => {
      throw e instanceof DomainError && (e.code === ErrorCode.NotFound || e.code === ErrorCode.BadRequest) ? new DomainError(ErrorCode.AttestationRequired, `attestation result ${resultId}: ${e.message}`) : e;
    });
    const problem = result.deviceId !== deviceId ? 'is for another device' : result.verdict !== 'pass' ? 'did not pass' : !result.usedAt ? 'was not spent by an enrollment' : null;
    if (problem) throw new DomainError(ErrorCode.AttestationRequired, `attestation result ${resultId} ${problem}`);
  }
}
