import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError, ErrorCode, LookupCertificatesReply, LookupCertificatesRequest, RevocationCommandSubjects } from '@iis/contracts';
import { CertificateEntity, certificateSummary, SUMMARY_COLUMNS } from '../issuance/certificate.entity';
import { octetHex } from './certificate-search.query';

const LIMIT = 10_000;

/** Certificates of one serial, device, SIM or issuer, for the revocation service. */
@Controller()
export class CertificateLookupController {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  @MessagePattern(RevocationCommandSubjects.lookupCertificates)
  async lookup(@Payload() req: LookupCertificatesRequest): Promise<LookupCertificatesReply> {
    const given = (['serial', 'deviceId', 'iccid', 'issuerId'] as const).filter((k) => typeof req?.[k] === 'string' && req[k]);
    if (given.length !== 1) throw new DomainError(ErrorCode.BadRequest, 'give exactly one of serial, deviceId, iccid, issuerId');
    const qb = this.ds.getRepository(CertificateEntity).createQueryBuilder('c');
    const key = given[0];
    // Serials are stored as lower-case hex of whole octets (RFC 5280 INTEGER content, no pad octet).
    const value = key === 'serial' ? octetHex(String(req.serial).replace(/^0x/i, '')) : String(req[key]);
    qb.where(`c.${key} = :value`, { value });
    if (req.unexpiredAt) qb.andWhere('c.notAfter > :at', { at: new Date(req.unexpiredAt) });
    const rows = await qb.select(SUMMARY_COLUMNS).orderBy('c.createdAt', 'ASC').limit(LIMIT).getMany();
    return {
      certificates: rows.map(certificateSummary),
    };
  }
}

