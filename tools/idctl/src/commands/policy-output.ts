import type { DecisionView, DeviceDecisionsReply, ListPoliciesReply, PolicyActivationView, UploadPolicyReply } from '@iis/contracts';
import { clean } from '../output';

const OUTCOME_WORDS: Record<string, string> = {
  allow: 'allowed',
  'allow-short-ttl': 'allowed with a shorter certificate lifetime',
  restrict: 'restricted',
  quarantine: 'QUARANTINED',
  deny: 'DENIED',
};

function trigger(d: DecisionView): string {
  if (d.trigger.startsWith('event:')) return `re-scored after a ${d.trigger.slice(6)} event`;
  return `${d.trigger} request`;
}

/** `idctl device explain`: the latest decisions in words, newest first. */
export function formatExplain(r: DeviceDecisionsReply & { serial?: string }): string {
  const out = [`device ${clean(r.serial ?? r.deviceId)} (${clean(r.deviceId)}): trust state ${r.trustState}`];
  if (r.decisions.length === 0) out.push('no decisions recorded yet');
  for (const d of r.decisions) {
    const outcome = d.trustOutcome ? OUTCOME_WORDS[d.trustOutcome] ?? d.trustOutcome : d.outcome;
    const score = d.score === null ? '' : `, score ${d.score}/100`;
    out.push('', `${d.createdAt}  ${trigger(d)}: ${outcome}${score}`, `  policy ${clean(d.policyVersion)}, decision ${d.decisionId}${d.ttlSeconds ? `, certificate lifetime ${d.ttlSeconds}s` : ''}`);
    if (d.explanation.length) {
      out.push('  because:');
      for (const f of d.explanation) {
        const pts = f.contribution === 0 ? '0' : `${f.contribution > 0 ? '+' : ''}${f.contribution}`;
        out.push(`    ${pts.padStart(4)}  ${clean(f.description)}${f.cap ? ` (no better than ${f.cap})` : ''}  [${clean(f.ruleId)}]`);
      }
    } else {
      out.push(`  because: ${d.reasons.map((x) => clean(x)).join('; ')}`);
    }
  }
  return out.join('\n') + '\n';
}

export function formatActivation(a: PolicyActivationView): string {
  return `${a.activatedAt}  ${a.kind} version ${a.version}${a.previousVersion ? ` (was ${a.previousVersion})` : ''} by ${clean(a.actor)}${a.reason ? `: ${clean(a.reason)}` : ''}`;
}

export function formatPolicyList(r: ListPoliciesReply): string {
  const out = [`active version: ${r.active ?? 'none'}`, '', 'versions:'];
  for (const v of r.versions) out.push(`  ${v.active ? '*' : ' '} ${String(v.version).padStart(3)}  ${clean(v.name)}  ${v.ruleCount} rules  uploaded ${v.uploadedAt} by ${clean(v.uploadedBy)}  sha256 ${v.sha256.slice(0, 12)}`);
  out.push('', 'activations (newest first):');
  for (const a of r.activations) out.push(`  ${formatActivation(a)}`);
  return out.join('\n') + '\n';
}

export function formatUpload(r: UploadPolicyReply): string {
  const lines = [`stored policy ${clean(r.policy.name)} as version ${r.policy.version} (${r.policy.ruleCount} rules)`];
  lines.push(r.activation ? `activated: ${formatActivation(r.activation)}` : `not active yet: idctl policy activate ${r.policy.version}`);
  return lines.join('\n') + '\n';
}
