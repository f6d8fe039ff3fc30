import type { DecisionRequest, FactScalar } from '@iis/contracts';
import { Facts, isFactName } from '@iis/policy-engine';

/** Facts a caller may not set: they come from the registry or the engine's own state. */
const OWNED = new Set(['device.known', 'device.status', 'sim.known', 'sim.status', 'device.quarantined', 'request.action']);

/**
 * The facts of one decision: what the engine learned from fact events, then the caller's own
 * facts (newer, from the request itself), then what the request states about registry and
 * action, which nobody can override. Unknown fact names from a caller are ignored.
 */
export function factsForDecision(req: DecisionRequest, learned: Record<string, FactScalar> | undefined, quarantined: boolean): Facts {
  const facts: Record<string, FactScalar> = { ...(learned ?? {}) };
  if (req.facts && typeof req.facts === 'object' && !Array.isArray(req.facts)) {
    for (const [k, v] of Object.entries(req.facts)) {
      if (isFactName(k) && !OWNED.has(k) && (v === null || ['string', 'number', 'boolean'].includes(typeof v))) facts[k] = v;
    }
  }
  facts['request.action'] = req.action;
  facts['device.known'] = !!req.deviceId && !!req.deviceStatus;
  facts['device.status'] = req.deviceStatus ?? null;
  facts['sim.known'] = !!req.simStatus;
  facts['sim.status'] = req.simStatus ?? null;
  facts['device.quarantined'] = quarantined;
  return facts as Facts;
}

export function validateDecisionRequest(req: DecisionRequest | undefined): string | null {
  if (!req || typeof req !== 'object') return 'a decision request is an object';
  if (req.action !== 'enroll' && req.action !== 'reenroll') return 'action must be enroll or reenroll';
  if (req.deviceId !== null && req.deviceId !== undefined && (typeof req.deviceId !== 'string' || req.deviceId.length > 36)) return 'deviceId must be a string of at most 36 characters';
  if (req.attestationResultId !== undefined && (typeof req.attestationResultId !== 'string' || !/^[0-9a-f-]{36}$/i.test(req.attestationResultId))) return 'attestationResultId must be a UUID';
  return null;
}
