import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ConsoleSubjects, RestoreSimReply, RestoreSimRequest, SimSearchReply, SimSearchRequest } from '@iis/contracts';
import { SimConsoleService } from './sim-console.service';

/** NATS edge of the console's SIM search and restore. */
@Controller()
export class SimConsoleController {
  constructor(private readonly sims: SimConsoleService) {}

  @MessagePattern(ConsoleSubjects.onboarding.searchSims)
  search(@Payload() req: SimSearchRequest): Promise<SimSearchReply> {
    return this.sims.search(req);
  }

  @MessagePattern(ConsoleSubjects.onboarding.restoreSim)
  restore(@Payload() req: RestoreSimRequest): Promise<RestoreSimReply> {
    return this.sims.restore(req);
  }
}
