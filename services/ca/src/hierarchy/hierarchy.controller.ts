import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CaHierarchyReply, CaSubjects, DomainError, ErrorCode, RotateIssuerReply, RotateIssuerRequest } from '@iis/contracts';
import { CA_KEY_ALGORITHMS, CaKeyAlgorithm } from '@iis/pki';
import { HierarchySyncService } from './hierarchy-sync.service';
import { HierarchyService } from './hierarchy.service';

/** NATS edge for operators: describe the hierarchy; rotate the issuing CA. */
@Controller()
export class HierarchyController {
  constructor(
    private readonly hierarchy: HierarchyService,
    private readonly sync: HierarchySyncService,
  ) {}

  @MessagePattern(CaSubjects.hierarchy)
  describe(): CaHierarchyReply {
    return { issuers: this.hierarchy.describe() };
  }

  @MessagePattern(CaSubjects.rotate)
  async rotate(@Payload() req: RotateIssuerRequest): Promise<RotateIssuerReply> {
    if (!req || typeof req.actor !== 'string' || !req.actor) throw new DomainError(ErrorCode.BadRequest, 'actor is required');
    if (req.keyAlgorithm !== undefined && !CA_KEY_ALGORITHMS.includes(req.keyAlgorithm as CaKeyAlgorithm)) {
      throw new DomainError(ErrorCode.BadRequest, `keyAlgorithm must be one of ${CA_KEY_ALGORITHMS.join(', ')}`);
    }
    const r = await this.hierarchy.rotate(req.keyAlgorithm);
    this.sync.announce();
    return r;
  }
}
