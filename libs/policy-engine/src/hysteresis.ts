import type { TrustOutcome } from './policy-document';

export type DeviceTrustState = 'trusted' | 'quarantined' | 'denied';

/**
 * Continuous evaluation: a device enters quarantine (or deny) as soon as a re-score reaches
 * that outcome, but leaves only when its score climbs back to `quarantineThreshold + points`,
 * so one noisy signal around the threshold does not flap it in and out.
 */
export function nextTrustState(
  current: DeviceTrustState,
  outcome: TrustOutcome,
  score: number,
  quarantineThreshold: number,
  hysteresisPoints: number,
): DeviceTrustState {
  if (outcome === 'deny') return 'denied';
  if (outcome === 'quarantine') return current === 'denied' ? 'denied' : 'quarantined';
  if (current === 'trusted') return 'trusted';
  return score >= quarantineThreshold + hysteresisPoints ? 'trusted' : current;
}
