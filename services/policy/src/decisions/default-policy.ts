import type { DecisionOutcome, DecisionRequest } from '@iis/contracts';

export const DEFAULT_POLICY_VERSION = 'builtin-default-1';

export interface Evaluation {
  outcome: DecisionOutcome;
  reasons: string[];
}

/**
 * The shipped default policy, deny by default: an unknown device, an unknown SIM, or one
 * that is lost, suspended, retired or quarantined gets no certificate. Each rule is a small
 * pure function applied in a fixed order; the first that denies decides.
 */
type Rule = (req: DecisionRequest) => string | null;

const rules: Rule[] = [
  (r) => (r.deviceId && r.deviceStatus ? null : 'device is not registered'),
  (r) => (r.deviceStatus === 'pending' || r.deviceStatus === 'active' ? null : `device is ${r.deviceStatus}`),
  (r) => (r.simStatus ? null : 'device has no registered SIM'),
  (r) => (r.simStatus === 'active' ? null : `SIM is ${r.simStatus}`),
];

export function evaluateDefaultPolicy(req: DecisionRequest): Evaluation {
  for (const rule of rules) {
    const reason = rule(req);
    if (reason) return { outcome: 'deny', reasons: [reason] };
  }
  return { outcome: 'allow', reasons: ['registered device with an active SIM'] };
}
