import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DecisionReply, DecisionRequest, Subjects } from '@iis/contracts';
import { DecideUseCase } from './decide.usecase';

@Controller()
export class DecisionsController {
  constructor(private readonly decide: DecideUseCase) {}

  @MessagePattern(Subjects.policy.decide)
  decision(@Payload() req: DecisionRequest): Promise<DecisionReply> {
    return this.decide.execute(req);
  }
}
