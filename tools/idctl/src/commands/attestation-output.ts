import type { AttestationResultView } from '@iis/contracts';
import { clean } from '../output';

export type DeviceAttestationResults = { serial: string; deviceId: string; results: AttestationResultView[] };

/** One line per result: when, verdict (with the reason code of a refusal), evidence, state. */
function resultLine(r: AttestationResultView, now: Date): string {
  const verdict = r.verdict === 'pass' ? 'pass' : `FAIL ${clean(r.reasonCode)}`;
  const state = r.verdict !== 'pass' ? '' : r.usedAt ? `used ${clean(r.usedAt)}` : Date.parse(r.expiresAt) <= now.getTime() ? 'expired' : `redeemable until ${clean(r.expiresAt)}`;
  return [clean(r.issuedAt), clean(r.id), clean(r.evidenceType).padEnd(10), verdict, state].filter(Boolean).join('  ');
}

/** `idctl attestation list --device S`: newest first. */
export function formatAttestationList(r: DeviceAttestationResults, now: Date): string {
  const out = [`device ${clean(r.serial)} (${clean(r.deviceId)}): ${r.results.length} attestation result(s), newest first`];
  if (r.results.length === 0) out.push('no attestation results (evidence never sent, or pruned after expiry)');
  for (const x of r.results) out.push(resultLine(x, now));
  return out.join('\n') + '\n';
}

/** `idctl attestation show <id>`: every field, claims one per line. */
export function formatAttestationResult(r: AttestationResultView): string {
  const out = [
    `result    ${clean(r.id)}`,
    `device    ${clean(r.deviceId)}`,
    `evidence  ${clean(r.evidenceType)}`,
    `verdict   ${clean(r.verdict)}${r.reasonCode ? `  ${clean(r.reasonCode)}` : ''}`,
  ];
  if (r.reason) out.push(`reason    ${clean(r.reason)}`);
  out.push(`issued    ${clean(r.issuedAt)}`, `expires   ${clean(r.expiresAt)}`, `used      ${clean(r.usedAt, 'no')}`);
  const claims = Object.entries(r.claims);
  out.push(claims.length ? 'claims' : 'claims    none');
  for (const [k, v] of claims) out.push(`  ${clean(k)} = ${clean(String(v))}`);
  return out.join('\n') + '\n';
}
