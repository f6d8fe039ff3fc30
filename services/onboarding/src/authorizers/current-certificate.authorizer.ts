import { Inject, Injectable } from '@nestjs/common';
import { Clock, CLOCK } from '@iis/config';
import { DomainError, ErrorCode, FindCertificatesReply, FindCertificatesRequest, Subjects } from '@iis/contracts';
import { RpcClient } from '@iis/messaging';
import { RPC } from '@iis/runtime';
import { CaCertsCache } from '../est/ca-certs.cache';
import { RegistryService } from '../registry/registry.service';
import { checkCurrentCertificate, normalizeSerial } from './current-certificate';
import { Authorization, DenyingAuthorizer, EnrollmentRequestContext } from './enrollment-authorizer';

/**
 * simplereenroll (RFC 7030 4.2.2) with the device's current certificate from this CA as
 * the TLS client certificate: it must verify against an issuing CA, be unexpired, and not
 * be revoked (the CA's store answers that).
 */
@Injectable()
export class CurrentCertificateAuthorizer extends DenyingAuthorizer {
  readonly name = 'current-certificate';

  constructor(
    private readonly caCerts: CaCertsCache,
    private readonly registry: RegistryService,
    @Inject(RPC) private readonly rpc: RpcClient,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    super();
  }

  override async authorize(ctx: EnrollmentRequestContext): Promise<Authorization | null> {
    if (ctx.operation !== 'simplereenroll') return null;
    if (!ctx.clientCertificate) {
      throw new DomainError(ErrorCode.Unauthorized, 'simplereenroll needs the current certificate from this CA as the TLS client certificate');
    }
    const now = this.clock.now();
    const { cert, deviceId } = await checkCurrentCertificate(ctx.clientCertificate.der, (await this.caCerts.get()).issuing, now);
    const found = await this.registry.findDevice({ id: deviceId });
    if (!found) throw new DomainError(ErrorCode.Forbidden, 'the current certificate names no registered device');
    const { certificates } = await this.rpc.request<FindCertificatesRequest, FindCertificatesReply>(Subjects.ca.findCertificates, {
      deviceId: found.device.id,
      unrevoked: true,
      unexpiredAt: now.toISOString(),
    });
    const serial = normalizeSerial(cert.serialNumber);
    if (!certificates.some((c) => normalizeSerial(c.serial) === serial)) {
      throw new DomainError(ErrorCode.Forbidden, `the current certificate ${serial} is revoked`);
    }
    return { authorizer: this.name, grant: `certificate:${serial}`, device: found.device, sim: found.sim, currentCertificate: cert, commit: async () => true, rollback: async () => undefined };
  }
}
