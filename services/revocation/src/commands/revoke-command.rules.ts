import type { RevokeRequest } from '@iis/contracts';
import { RevocationReasons } from '@iis/contracts';

/** Reasons this command accepts: hold and its release are a separate lifecycle. */
const REVOKE_REASONS = Object.keys(RevocationReasons).filter((r) => r !== 'certificateHold' && r !== 'removeFromCRL');

const SHAPES: Record<string, RegExp> = {
  serial: /^(0x)?[0-9a-fA-F]{1,40}$/,
  deviceId: /^[0-9a-f-]{36}$/i,
  iccid: /^\d{18,22}$/,
  issuerId: /^[a-z]+-[0-9a-f]{1,32}$/,
};

/** The shape of a revoke command; null when it is well formed. */
export function revokeCommandProblem(cmd: unknown): string | null {
  if (typeof cmd !== 'object' || cmd === null) return 'a revoke command is an object';
  const c = cmd as Partial<RevokeRequest>;
  if (typeof c.target !== 'object' || c.target === null) return 'target is required: one of serial, deviceId, iccid, issuerId';
  const given = Object.entries(c.target).filter(([, v]) => v !== undefined && v !== null && v !== '');
  if (given.length !== 1) return 'target takes exactly one of serial, deviceId, iccid, issuerId';
  const [kind, value] = given[0];
  if (!(kind in SHAPES)) return `unknown target ${kind}`;
  if (typeof value !== 'string' || !SHAPES[kind].test(value)) return `${kind} is malformed`;
  if (typeof c.reason !== 'string' || !REVOKE_REASONS.includes(c.reason)) return `reason must be one of ${REVOKE_REASONS.join(', ')}`;
  if (c.comment !== undefined && (typeof c.comment !== 'string' || c.comment.length > 400)) return 'comment is at most 400 characters';
  return null;
}
