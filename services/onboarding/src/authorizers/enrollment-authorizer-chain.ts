import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@iis/contracts';
import { AttestationRequirement } from './attestation-requirement';
import { BootstrapSecretAuthorizer } from './bootstrap-secret.authorizer';
import { CurrentCertificateAuthorizer } from './current-certificate.authorizer';
import { Authorization, EnrollmentAuthorizer, EnrollmentRequestContext } from './enrollment-authorizer';
import { IdevidAuthorizer } from './idevid.authorizer';

/**
 * Tries each enrollment method in turn; a request no method accepts is denied. Order:
 * the current certificate (re-enroll), a manufacturer certificate, a one-time secret. Where
 * the device class requires it, a verified attestation result is needed on top.
 */
@Injectable()
export class EnrollmentAuthorizerChain {
  private readonly chain: EnrollmentAuthorizer[];

  constructor(
    current: CurrentCertificateAuthorizer,
    idevid: IdevidAuthorizer,
    bootstrapSecret: BootstrapSecretAuthorizer,
    private readonly attestation: AttestationRequirement,
  ) {
    this.chain = [current, idevid, bootstrapSecret];
  }

  async authorize(ctx: EnrollmentRequestContext): Promise<Authorization> {
    for (const authorizer of this.chain) {
      const result = await authorizer.authorize(ctx);
      if (result) return this.attestation.apply(ctx, result);
    }
    throw new DomainError(ErrorCode.Unauthorized, 'authentication required: HTTP Basic with the device serial and its enrollment secret, or a manufacturer (IDevID) client certificate');
  }
}
