import { Injectable } from '@nestjs/common';
import type { PolicyStatsReply } from '@iis/contracts';

/** Counters of continuous evaluation, answered on PolicySubjects.stats. */
@Injectable()
export class PolicyStats implements PolicyStatsReply {
  accepted = 0;
  malformed = 0;
  rescored = 0;
  quarantined = 0;
  revocationRequests = 0;
  revocationFailures = 0;

  snapshot(): PolicyStatsReply {
    const { accepted, malformed, rescored, quarantined, revocationRequests, revocationFailures } = this;
    return { accepted, malformed, rescored, quarantined, revocationRequests, revocationFailures };
  }
}
