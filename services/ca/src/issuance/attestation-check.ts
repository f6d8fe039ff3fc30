import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import { CaConfig } from '@iis/config';
import { AttestationResultView, DomainError, ErrorCode, GetAttestationResultRequest, Subjects } from '@iis/contracts';
import { connectNats, RpcClient } from '@iis/messaging';
import { CA_CONFIG } from '../ca.tokens';

/**
 * Issue 6: an issuance that rests on an attestation result names it, and the CA reads it by id
 * from the attestation service before signing: it must have passed, be the device's, and have
 * been spent (redeemed by the enrollment asking). Only attested issuances pay the look-up; the
 * connection is opened on the first one.
 */
@Injectable()
export class AttestationCheck implements OnApplicationShutdown {
  private connecting: Promise<NatsConnection> | undefined;

  constructor(@Inject(CA_CONFIG) private readonly config: CaConfig) {}

  async check(resultId: string, deviceId: string | undefined): Promise<void> {
    this.connecting ??= connectNats(this.config.natsUrl, 'iis-ca-attestation').catch((e: unknown) => {
      this.connecting = undefined;
      throw e;
    });
    const rpc = new RpcClient(await this.connecting, 5000);
    const result = await rpc.request<GetAttestationResultRequest, AttestationResultView>(Subjects.attestation.getResult, { id: resultId }).catch((e: unknown) => {
      throw e instanceof DomainError && (e.code === ErrorCode.NotFound || e.code === ErrorCode.BadRequest) ? new DomainError(ErrorCode.AttestationRequired, `attestation result ${resultId}: ${e.message}`) : e;
    });
    const problem = result.deviceId !== deviceId ? 'is for another device' : result.verdict !== 'pass' ? 'did not pass' : !result.usedAt ? 'was not spent by an enrollment' : null;
    if (problem) throw new DomainError(ErrorCode.AttestationRequired, `attestation result ${resultId} ${problem}`);
  }

  async onApplicationShutdown(): Promise<void> {
    const nc = await this.connecting?.catch(() => undefined);
    await nc?.close();
  }
}
