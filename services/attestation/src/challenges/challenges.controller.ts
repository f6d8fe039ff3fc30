import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ChallengeReply, ChallengeRequest, ConsumeChallengeReply, ConsumeChallengeRequest, Subjects } from '@iis/contracts';
import { ChallengesService } from './challenges.service';

@Controller()
export class ChallengesController {
  constructor(private readonly challenges: ChallengesService) {}

  @MessagePattern(Subjects.attestation.challenge)
  create(@Payload() req: ChallengeRequest): Promise<ChallengeReply> {
    return this.challenges.create(req);
  }

  @MessagePattern(Subjects.attestation.consumeChallenge)
  consume(@Payload() req: ConsumeChallengeRequest): Promise<ConsumeChallengeReply> {
    return this.challenges.consume(req);
  }
}
