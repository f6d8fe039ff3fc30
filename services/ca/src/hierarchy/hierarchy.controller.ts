import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { CaHierarchyReply, CaSubjects } from '@iis/contracts';
import { HierarchyService } from './hierarchy.service';

/** NATS edge for operators: what the hierarchy looks like (issuers, algorithms, key protection, URLs). */
@Controller()
export class HierarchyController {
  constructor(private readonly hierarchy: HierarchyService) {}

  @MessagePattern(CaSubjects.hierarchy)
  describe(): CaHierarchyReply {
    return { issuers: this.hierarchy.describe() };
  }
}
