import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CertificateSearchReply,
  CertificateSearchRequest,
  CertificateStatsReply,
  CertificateStatsRequest,
  CertificateTimelineReply,
  CertificateTimelineRequest,
  ConsoleSubjects,
  OperatorSubjects,
} from '@iis/contracts';
import { CertificateSearchService } from './certificate-search.service';
import { CertificateTimelineService } from './certificate-timeline.service';

/** NATS edge of the certificate search the operator API uses. */
@Controller()
export class CertificateSearchController {
  constructor(
    private readonly search: CertificateSearchService,
    private readonly timelines: CertificateTimelineService,
  ) {}

  @MessagePattern(OperatorSubjects.ca.searchCertificates)
  find(@Payload() req: CertificateSearchRequest): Promise<CertificateSearchReply> {
    return this.search.search(req);
  }

  @MessagePattern(OperatorSubjects.ca.certificateStats)
  stats(@Payload() req: CertificateStatsRequest): Promise<CertificateStatsReply> {
    return this.search.stats(req);
  }

  @MessagePattern(ConsoleSubjects.ca.certificateTimeline)
  timeline(@Payload() req: CertificateTimelineRequest): Promise<CertificateTimelineReply> {
    return this.timelines.timeline(req);
  }
}
