import { OutcomeMetric } from '@iis/runtime';
import type { DecisionReply } from '@iis/contracts';

/** iis_policy_decisions_total{outcome}: allow or deny (or the error code) and the time to decide. */
export const decisionMetric = new OutcomeMetric<DecisionReply>('iis_policy_decisions', 'Policy decisions', (r) => r.outcome);
