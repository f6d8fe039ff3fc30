import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DecisionReply, DecisionRequest, DeviceDecisionsReply, DeviceDecisionsRequest, PolicyStatsReply, PolicySubjects, Subjects } from '@iis/contracts';
import { PolicyStats } from '../evaluation/policy-stats';
import { DecideUseCase } from './decide.usecase';
import { DeviceDecisionsUseCase } from './device-decisions.usecase';
import { decisionMetric } from './decision.metrics';

@Controller()
export class DecisionsController {
  constructor(
    private readonly decide: DecideUseCase,
    private readonly deviceDecisions: DeviceDecisionsUseCase,
    private readonly stats: PolicyStats,
  ) {}

  @MessagePattern(Subjects.policy.decide)
  decision(@Payload() req: DecisionRequest): Promise<DecisionReply> {
    return decisionMetric.observe(() => this.decide.execute(req));
  }

  @MessagePattern(PolicySubjects.deviceDecisions)
  byDevice(@Payload() req: DeviceDecisionsRequest): Promise<DeviceDecisionsReply> {
    return this.deviceDecisions.execute(req);
  }

  @MessagePattern(PolicySubjects.stats)
  counters(): PolicyStatsReply {
    return this.stats.snapshot();
  }
}
