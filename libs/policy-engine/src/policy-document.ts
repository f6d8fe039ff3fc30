import type { FactName } from './facts';

/** Five outcomes, best first. */
export const TRUST_OUTCOMES = ['allow', 'allow-short-ttl', 'restrict', 'quarantine', 'deny'] as const;
export type TrustOutcome = (typeof TRUST_OUTCOMES)[number];

export type ComparisonOp = 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte';
export type LeafOp =
  | ComparisonOp
  | 'in'
  | 'notIn'
  | 'exists'
  | 'missing'
  | 'inCidr'
  | 'notInCidr'
  | 'semverLt'
  | 'semverGte'
  | 'semverSatisfies';

/** `value` may name a list of the policy instead of spelling it out: `{ "list": "allowedCountries" }`. */
export type ListRef = { list: string };
export interface LeafCondition {
  fact: FactName;
  op: LeafOp;
  value?: string | number | boolean | (string | number)[] | ListRef;
}
export type Condition = LeafCondition | { all: Condition[] } | { any: Condition[] } | { not: Condition };

/** Contribution that grows with a counter: floor(fact / every) * points, at most `limit`. */
export interface ScalePer {
  fact: FactName;
  every: number;
  points: number;
  limit?: number;
}

export interface PolicyRule {
  id: string;
  description: string;
  when: Condition;
  /** Fixed contribution when the rule fires. */
  score?: number;
  /** Or a contribution proportional to a counter. */
  scorePer?: ScalePer;
  /** The outcome can be no better than this when the rule fires (e.g. unknown device: deny). */
  cap?: TrustOutcome;
}

export interface PolicyDocument {
  schema: 'iis.policy/v1';
  name: string;
  description?: string;
  /** Score before any rule: 0-100. */
  baseScore: number;
  /** Minimum score for each outcome, strictly descending; below `quarantine` is deny. */
  thresholds: { allow: number; allowShortTtl: number; restrict: number; quarantine: number };
  /** Certificate lifetimes per outcome; the CA bounds them again by profile. */
  ttl: { allowSeconds: number; shortSeconds: number; restrictSeconds?: number };
  /** A quarantined device is released only when its score reaches quarantine + points. */
  hysteresis?: { points: number };
  firmware?: {
    /** Minimum version per device class; `default` for every other class. */
    minimum?: Record<string, string>;
    /** Versions or ranges known to be vulnerable. */
    vulnerable?: string[];
  };
  lists?: Record<string, string[]>;
  rules: PolicyRule[];
}
