import { CompiledPolicy, OUTCOME_RANK } from './compile';
import type { Facts } from './facts';
import { TRUST_OUTCOMES, TrustOutcome } from './policy-document';

export interface FiredRule {
  ruleId: string;
  description: string;
  /** Points added to (or taken from) the score. */
  contribution: number;
  /** Set when the rule limits the outcome regardless of the score. */
  cap?: TrustOutcome;
}

export interface Evaluation {
  score: number;
  outcome: TrustOutcome;
  /** Outcome from the score alone, before caps. */
  scoreOutcome: TrustOutcome;
  fired: FiredRule[];
  /** Certificate lifetime for this outcome; null when no certificate should be issued. */
  ttlSeconds: number | null;
}

/** Evaluates a compiled policy against facts: pure, synchronous, no I/O. */
export function evaluatePolicy(policy: CompiledPolicy, facts: Facts): Evaluation {
  const derived = policy.derive(facts);
  let score = policy.document.baseScore;
  let capRank = 0;
  const fired: FiredRule[] = [];
  for (const rule of policy.rules) {
    if (!rule.test(facts, derived)) continue;
    const contribution = rule.contribution(facts);
    score += contribution;
    const f: FiredRule = { ruleId: rule.id, description: rule.description, contribution };
    if (rule.cap !== null) {
      f.cap = TRUST_OUTCOMES[rule.cap];
      if (rule.cap > capRank) capRank = rule.cap;
    }
    fired.push(f);
  }
  score = Math.max(0, Math.min(100, Math.round(score * 100) / 100));
  const scoreOutcome = outcomeForScore(policy, score);
  const outcome = TRUST_OUTCOMES[Math.max(OUTCOME_RANK[scoreOutcome], capRank)];
  return { score, outcome, scoreOutcome, fired, ttlSeconds: ttlFor(policy, outcome) };
}

export function outcomeForScore(policy: CompiledPolicy, score: number): TrustOutcome {
  const t = policy.thresholds;
  if (score >= t.allow) return 'allow';
  if (score >= t.allowShortTtl) return 'allow-short-ttl';
  if (score >= t.restrict) return 'restrict';
  if (score >= t.quarantine) return 'quarantine';
  return 'deny';
}

function ttlFor(policy: CompiledPolicy, outcome: TrustOutcome): number | null {
  const ttl = policy.document.ttl;
  if (outcome === 'allow') return ttl.allowSeconds;
  if (outcome === 'allow-short-ttl') return ttl.shortSeconds;
  if (outcome === 'restrict') return ttl.restrictSeconds ?? ttl.shortSeconds;
  return null;
}

/** One line per fired rule, for people: `-40  firmware below the minimum for its class (caps at quarantine)`. */
export function explainInWords(e: Pick<Evaluation, 'score' | 'outcome' | 'fired'>): string[] {
  const lines = e.fired.map((f) => {
    const points = f.contribution === 0 ? '   0' : `${f.contribution > 0 ? '+' : ''}${f.contribution}`.padStart(4);
    return `${points}  ${f.description}${f.cap ? ` (no better than ${f.cap})` : ''}`;
  });
  if (lines.length === 0) lines.push('   0  no rule fired');
  return lines;
}
