import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CertificateSearchReply, CertificateSearchRequest, CertificateStatsReply, CertificateStatsRequest, OperatorSubjects } from '@iis/contracts';
import { CertificateSearchService } from './certificate-search.service';

/** NATS edge of the certificate search the operator API uses. */
@Controller()
export class CertificateSearchController {
  constructor(private readonly search: CertificateSearchService) {}

  @MessagePattern(OperatorSubjects.ca.searchCertificates)
  find(@Payload() req: CertificateSearchRequest): Promise<CertificateSearchReply> {
    return this.search.search(req);
  }

  @MessagePattern(OperatorSubjects.ca.certificateStats)
  stats(@Payload() req: CertificateStatsRequest): Promise<CertificateStatsReply> {
    return this.search.stats(req);
  }
}
