import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Clock, CLOCK } from '@iis/config';
import { DomainError, ErrorCode } from '@iis/contracts';
import { CaCertsCache } from '../est/ca-certs.cache';
import { RegistryService } from '../registry/registry.service';
import { issuedBy, parseCertificate } from './current-certificate';
import { Authorization, DenyingAuthorizer, EnrollmentRequestContext } from './enrollment-authorizer';
import { TrustAnchors as ManufacturerRoots } from '@iis/pki';
import { idevidSerial } from './manufacturer-roots';

export const MANUFACTURER_ROOTS = Symbol('ManufacturerRoots');

/**
 * First enrollment with a manufacturer certificate (IEEE 802.1AR IDevID) as the TLS client
 * certificate, chaining to a configured manufacturer root; the device is the registered
 * one whose serial is the IDevID's subject serialNumber. With HTTP Basic credentials as
 * well, a certificate that does not chain is left to the secret instead of refused.
 */
@Injectable()
export class IdevidAuthorizer extends DenyingAuthorizer {
  readonly name = 'idevid';

  constructor(
    @Inject(MANUFACTURER_ROOTS) private readonly roots: ManufacturerRoots,
    private readonly caCerts: CaCertsCache,
    private readonly registry: RegistryService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    super();
  }

  override async authorize(ctx: EnrollmentRequestContext): Promise<Authorization | null> {
    if (ctx.operation === 'simplereenroll' || !ctx.clientCertificate) return null;
    const cert = parseCertificate(ctx.clientCertificate.der);
    // A certificate from this CA is an LDevID: it re-enrolls, it does not enroll.
    if (cert && (await issuedBy(cert, (await this.caCerts.get()).issuing))) {
      if (ctx.basic) return null;
      throw new DomainError(ErrorCode.Forbidden, 'a certificate from this CA renews through simplereenroll, not simpleenroll');
    }
    const result = cert ? await this.roots.validate(ctx.clientCertificate.der, ctx.clientCertificate.chain, this.clock.now()) : { root: null, reason: 'not an X.509 certificate' };
    if (!cert || !result.root) {
      if (ctx.basic) return null;
      throw new DomainError(ErrorCode.Forbidden, `client certificate from an unknown manufacturer: ${result.reason}`);
    }
    const serial = idevidSerial(cert);
    const found = serial ? await this.registry.findDevice({ serial }) : null;
    if (!found) throw new DomainError(ErrorCode.Forbidden, `the IDevID names serial ${serial ?? '(none)'}, which is not a registered device`);
    const fingerprint = createHash('sha256').update(ctx.clientCertificate.der).digest('hex');
    return { authorizer: `${this.name}`, grant: `idevid:${fingerprint}`, device: found.device, sim: found.sim, commit: async () => true, rollback: async () => undefined };
  }
}
