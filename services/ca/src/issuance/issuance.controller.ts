import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CaCertsReply, CaIssueRequest, CaSubjects, IssueRevocationSignerRequest, FindCertificatesReply, FindCertificatesRequest, IssueCertificateRequest, IssuedCertificate, Subjects } from '@iis/contracts';
import { HierarchyService } from '../hierarchy/hierarchy.service';
import { IssuanceService } from './issuance.service';
import { issuanceMetric } from './issuance.metrics';

/** NATS edge of issuance: one use case per subject. */
@Controller()
export class IssuanceController {
  constructor(
    private readonly issuance: IssuanceService,
    private readonly hierarchy: HierarchyService,
  ) {}

  @MessagePattern(Subjects.ca.issue)
  issue(@Payload() req: IssueCertificateRequest | CaIssueRequest): Promise<IssuedCertificate> {
    return issuanceMetric.observe(() => this.issuance.issue(req));
  }

  @MessagePattern(CaSubjects.issueRevocationSigner)
  issueRevocationSigner(@Payload() req: IssueRevocationSignerRequest): Promise<IssuedCertificate> {
    return this.issuance.issueRevocationSigner(req);
  }

  @MessagePattern(Subjects.ca.findCertificates)
  find(@Payload() req: FindCertificatesRequest): Promise<FindCertificatesReply> {
    return this.issuance.find(req);
  }

  @MessagePattern(Subjects.ca.caCerts)
  caCerts(): CaCertsReply {
    return { certificates: this.hierarchy.caChain().map((c) => c.toString('base64')), issuerIds: this.hierarchy.caChainIssuerIds(), rootId: this.hierarchy.rootId() };
  }
}
