import { BlockList, isIP } from 'node:net';
import { Range, SemVer, valid, validRange } from 'semver';
import { FACTS, FactName, Facts, FactType, isFactName } from './facts';
import { policyInvalid } from './policy-error';
import type { Condition, LeafCondition, ListRef, PolicyDocument, PolicyRule, TrustOutcome } from './policy-document';
import { validatePolicyShape } from './validate';

export type Predicate = (facts: Facts, derived: DerivedFacts) => boolean;

export interface CompiledRule {
  id: string;
  description: string;
  test: Predicate;
  contribution: (facts: Facts) => number;
  cap: number | null;
}

export interface CompiledPolicy {
  document: PolicyDocument;
  rules: CompiledRule[];
  thresholds: PolicyDocument['thresholds'];
  /** Derived facts (firmware.belowMinimum, firmware.knownVulnerable) from firmware.version and device.class. */
  derive(facts: Facts): DerivedFacts;
}

export interface DerivedFacts {
  'firmware.belowMinimum'?: boolean;
  'firmware.knownVulnerable'?: boolean;
}

export const OUTCOME_RANK: Record<TrustOutcome, number> = { allow: 0, 'allow-short-ttl': 1, restrict: 2, quarantine: 3, deny: 4 };

const OPS_BY_TYPE: Record<FactType, string[]> = {
  string: ['eq', 'ne', 'in', 'notIn', 'exists', 'missing'],
  number: ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'notIn', 'exists', 'missing'],
  boolean: ['eq', 'ne', 'exists', 'missing'],
  ip: ['eq', 'ne', 'inCidr', 'notInCidr', 'exists', 'missing'],
  semver: ['eq', 'ne', 'semverLt', 'semverGte', 'semverSatisfies', 'exists', 'missing'],
};

/**
 * Validates a policy (shape with the JSON Schema, then meaning) and compiles every condition to
 * a closure, so evaluation is a walk over prepared functions: no parsing on the hot path.
 * Throws a BadRequest DomainError naming the path of the first offending field.
 */
export function compilePolicy(input: unknown): CompiledPolicy {
  const doc = validatePolicyShape(input);
  const t = doc.thresholds;
  if (!(t.allow > t.allowShortTtl && t.allowShortTtl > t.restrict && t.restrict > t.quarantine)) {
    throw policyInvalid('/thresholds', 'must be strictly descending: allow > allowShortTtl > restrict > quarantine');
  }
  if (doc.ttl.shortSeconds > doc.ttl.allowSeconds) throw policyInvalid('/ttl/shortSeconds', 'must not exceed allowSeconds');
  const ids = new Set<string>();
  const lists = doc.lists ?? {};
  const rules = doc.rules.map((rule, i) => {
    const path = `/rules/${i}`;
    if (ids.has(rule.id)) throw policyInvalid(`${path}/id`, `duplicate rule id '${rule.id}'`);
    ids.add(rule.id);
    return compileRule(rule, path, lists);
  });
  return { document: doc, rules, thresholds: t, derive: compileFirmware(doc) };
}

function compileRule(rule: PolicyRule, path: string, lists: Record<string, string[]>): CompiledRule {
  if (rule.score === undefined && rule.scorePer === undefined && rule.cap === undefined) {
    throw policyInvalid(path, 'a rule needs score, scorePer or cap');
  }
  if (rule.score !== undefined && rule.scorePer !== undefined) throw policyInvalid(`${path}/scorePer`, 'give score or scorePer, not both');
  const fixed = rule.score ?? 0;
  let contribution: (facts: Facts) => number = () => fixed;
  const per = rule.scorePer;
  if (per) {
    const p = `${path}/scorePer`;
    checkFact(per.fact, `${p}/fact`);
    if (FACTS[per.fact].type !== 'number') throw policyInvalid(`${p}/fact`, `'${per.fact}' is not a number`);
    if (per.every === 0) throw policyInvalid(`${p}/every`, 'division by zero');
    if (per.every < 0) throw policyInvalid(`${p}/every`, 'must be positive');
    const limit = per.limit ?? (per.points < 0 ? -100 : 100);
    if (Math.sign(limit) !== Math.sign(per.points) && limit !== 0) throw policyInvalid(`${p}/limit`, 'must have the sign of points');
    const { fact, every, points } = per;
    contribution = (facts) => {
      const v = facts[fact];
      if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) return 0;
      const raw = Math.floor(v / every) * points;
      return points < 0 ? Math.max(raw, limit) : Math.min(raw, limit);
    };
  }
  return {
    id: rule.id,
    description: rule.description,
    test: compileCondition(rule.when, `${path}/when`, lists),
    contribution,
    cap: rule.cap === undefined ? null : OUTCOME_RANK[rule.cap],
  };
}

function checkFact(name: string, path: string): asserts name is FactName {
  if (!isFactName(name)) throw policyInvalid(path, `unknown fact '${name}'`);
}

function compileCondition(c: Condition, path: string, lists: Record<string, string[]>): Predicate {
  if ('all' in c) {
    const parts = c.all.map((x, i) => compileCondition(x, `${path}/all/${i}`, lists));
    return (f, d) => {
      for (const p of parts) if (!p(f, d)) return false;
      return true;
    };
  }
  if ('any' in c) {
    const parts = c.any.map((x, i) => compileCondition(x, `${path}/any/${i}`, lists));
    return (f, d) => {
      for (const p of parts) if (p(f, d)) return true;
      return false;
    };
  }
  if ('not' in c) {
    const inner = compileCondition(c.not, `${path}/not`, lists);
    return (f, d) => !inner(f, d);
  }
  return compileLeaf(c, path, lists);
}

function compileLeaf(c: LeafCondition, path: string, lists: Record<string, string[]>): Predicate {
  checkFact(c.fact, `${path}/fact`);
  const type = FACTS[c.fact].type;
  if (!OPS_BY_TYPE[type].includes(c.op)) throw policyInvalid(`${path}/op`, `'${c.op}' does not apply to ${type} fact '${c.fact}'`);
  const fact = c.fact;
  const derived = fact === 'firmware.belowMinimum' || fact === 'firmware.knownVulnerable';
  const get = derived ? (f: Facts, d: DerivedFacts) => d[fact as keyof DerivedFacts] : (f: Facts) => f[fact];
  const vpath = `${path}/value`;
  if (c.op === 'exists') return (f, d) => get(f, d) !== undefined && get(f, d) !== null;
  if (c.op === 'missing') return (f, d) => get(f, d) === undefined || get(f, d) === null;
  if (c.value === undefined) throw policyInvalid(vpath, `'${c.op}' needs a value`);

  const listOf = (v: LeafCondition['value']): (string | number)[] => {
    if (Array.isArray(v)) return v;
    if (typeof v === 'object' && v !== null) {
      const name = (v as ListRef).list;
      if (!lists[name]) throw policyInvalid(`${vpath}/list`, `unknown list '${name}'`);
      return lists[name];
    }
    throw policyInvalid(vpath, `'${c.op}' needs an array or { "list": name }`);
  };
  const scalar = (expected: 'string' | 'number' | 'boolean'): string | number | boolean => {
    const v = c.value;
    if (typeof v !== expected) throw policyInvalid(vpath, `must be a ${expected} for '${c.fact}'`);
    return v as string | number | boolean;
  };
  const scalarType = type === 'number' ? 'number' : type === 'boolean' ? 'boolean' : 'string';

  switch (c.op) {
    case 'eq': {
      const v = scalar(scalarType);
      return (f, d) => get(f, d) === v;
    }
    case 'ne': {
      const v = scalar(scalarType);
      // A missing fact is not "different": rules about a value never fire on its absence.
      return (f, d) => {
        const x = get(f, d);
        return x !== undefined && x !== null && x !== v;
      };
    }
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte': {
      const v = scalar('number') as number;
      const op = c.op;
      return (f) => {
        const x = f[fact];
        if (typeof x !== 'number') return false;
        return op === 'lt' ? x < v : op === 'lte' ? x <= v : op === 'gt' ? x > v : x >= v;
      };
    }
    case 'in':
    case 'notIn': {
      const set = new Set<unknown>(listOf(c.value));
      const negate = c.op === 'notIn';
      return (f, d) => {
        const x = get(f, d);
        if (x === undefined || x === null) return false;
        return set.has(x) !== negate;
      };
    }
    case 'inCidr':
    case 'notInCidr': {
      const block = new BlockList();
      listOf(c.value).forEach((entry, i) => addCidr(block, String(entry), Array.isArray(c.value) ? `${vpath}/${i}` : `${vpath}/list`));
      const negate = c.op === 'notInCidr';
      return (f) => {
        const x = f[fact];
        if (typeof x !== 'string') return false;
        const family = isIP(x);
        if (family === 0) return false;
        return block.check(x, family === 4 ? 'ipv4' : 'ipv6') !== negate;
      };
    }
    case 'semverLt':
    case 'semverGte': {
      const v = scalar('string') as string;
      if (!valid(v)) throw policyInvalid(vpath, `'${v}' is not a semantic version`);
      const bound = new SemVer(v);
      const lt = c.op === 'semverLt';
      return (f) => {
        const x = parseVersion(f[fact]);
        if (!x) return false;
        return x.compare(bound) < 0 === lt;
      };
    }
    case 'semverSatisfies': {
      const v = scalar('string') as string;
      if (!validRange(v)) throw policyInvalid(vpath, `'${v}' is not a semantic version range`);
      const range = new Range(v);
      return (f) => {
        const x = parseVersion(f[fact]);
        return x ? range.test(x) : false;
      };
    }
  }
  throw policyInvalid(`${path}/op`, `unknown op '${String(c.op)}'`);
}

function addCidr(block: BlockList, entry: string, path: string): void {
  const [addr, bits, ...rest] = entry.split('/');
  const family = isIP(addr);
  const prefix = bits === undefined ? (family === 6 ? 128 : 32) : Number(bits);
  if (rest.length || family === 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32)) {
    throw policyInvalid(path, `'${entry}' is not an IP address or CIDR range`);
  }
  block.addSubnet(addr, prefix, family === 4 ? 'ipv4' : 'ipv6');
}

/** Versions repeat across a fleet: a small bounded cache keeps semver parsing off the hot path. */
const versionCache = new Map<string, SemVer | null>();
export function parseVersion(v: unknown): SemVer | null {
  if (typeof v !== 'string') return null;
  let parsed = versionCache.get(v);
  if (parsed === undefined) {
    parsed = valid(v) ? new SemVer(v) : null;
    if (versionCache.size > 10_000) versionCache.clear();
    versionCache.set(v, parsed);
  }
  return parsed;
}

function compileFirmware(doc: PolicyDocument): (facts: Facts) => DerivedFacts {
  const minimum = new Map<string, SemVer>();
  for (const [cls, v] of Object.entries(doc.firmware?.minimum ?? {})) {
    if (!valid(v)) throw policyInvalid(`/firmware/minimum/${cls}`, `'${v}' is not a semantic version`);
    minimum.set(cls, new SemVer(v));
  }
  const vulnerable = (doc.firmware?.vulnerable ?? []).map((v, i) => {
    if (!validRange(v)) throw policyInvalid(`/firmware/vulnerable/${i}`, `'${v}' is not a semantic version or range`);
    return new Range(v);
  });
  return (facts) => {
    const version = parseVersion(facts['firmware.version']);
    if (!version) return {};
    const cls = typeof facts['device.class'] === 'string' ? facts['device.class'] : undefined;
    const min = (cls !== undefined ? minimum.get(cls) : undefined) ?? minimum.get('default');
    return {
      'firmware.belowMinimum': min ? version.compare(min) < 0 : false,
      'firmware.knownVulnerable': vulnerable.some((r) => r.test(version)),
    };
  };
}
