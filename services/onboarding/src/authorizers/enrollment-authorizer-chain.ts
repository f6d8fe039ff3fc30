import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@iis/contracts';
import { BootstrapSecretAuthorizer } from './bootstrap-secret.authorizer';
import { Authorization, EnrollmentAuthorizer, EnrollmentRequestContext } from './enrollment-authorizer';

/** Tries each enrollment method in turn; a request no method accepts is denied. */
@Injectable()
export class EnrollmentAuthorizerChain {
  private readonly chain: EnrollmentAuthorizer[];

  constructor(bootstrapSecret: BootstrapSecretAuthorizer) {
    this.chain = [bootstrapSecret];
  }

  async authorize(ctx: EnrollmentRequestContext): Promise<Authorization> {
    for (const authorizer of this.chain) {
      const result = await authorizer.authorize(ctx);
      if (result) return result;
    }
    throw new DomainError(ErrorCode.Unauthorized, 'authentication required: HTTP Basic with the device serial and its enrollment secret');
  }
}
