import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@iis/contracts';
import { RegistryService } from '../registry/registry.service';
import { EnrollmentSecretsService } from '../secrets/enrollment-secrets.service';
import { Authorization, DenyingAuthorizer, EnrollmentRequestContext } from './enrollment-authorizer';

/** HTTP Basic with the device serial as user name and a one-time enrollment secret as password. */
@Injectable()
export class BootstrapSecretAuthorizer extends DenyingAuthorizer {
  readonly name = 'bootstrap-secret';

  constructor(
    private readonly registry: RegistryService,
    private readonly secrets: EnrollmentSecretsService,
  ) {
    super();
  }

  override async authorize(ctx: EnrollmentRequestContext): Promise<Authorization | null> {
    if (ctx.operation === 'simplereenroll' || !ctx.basic) return null;
    const found = await this.registry.findDevice({ serial: ctx.basic.username });
    // Unknown device and wrong secret get the same answer: the edge reveals nothing.
    const secret = found ? await this.secrets.findValid(found.device.id, ctx.basic.password) : null;
    if (!found || !secret) throw new DomainError(ErrorCode.Unauthorized, 'unknown device, or the enrollment secret is wrong, used or expired');
    return {
      authorizer: this.name,
      grant: `secret:${secret.id}`,
      device: found.device,
      sim: found.sim,
      commit: () => this.secrets.consume(secret.id),
      rollback: () => this.secrets.release(secret.id),
    };
  }
}
