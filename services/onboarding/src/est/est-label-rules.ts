import type { EstLabelView } from '@iis/contracts';
import { KEY_TYPES } from './csrattrs';
import type { EstLabelEntity } from './est-label.entity';

/** Requests without a label segment use the label named "default", or these settings. */
export const DEFAULT_LABEL: EstLabelView = {
  name: 'default',
  profile: 'device',
  keyTypes: ['P-256', 'P-384', 'RSA', 'Ed25519'],
  requireProofOfPossession: false,
  requireApproval: false,
  maxTtlSeconds: null,
};

export const LABEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const RESERVED = new Set(['cacerts', 'csrattrs', 'simpleenroll', 'simplereenroll', 'serverkeygen', 'fullcmc']);

export function labelView(e: EstLabelEntity): EstLabelView {
  return {
    name: e.name,
    profile: e.profile,
    keyTypes: e.keyTypes.split(',').filter(Boolean),
    requireProofOfPossession: !!e.requireProofOfPossession,
    requireApproval: !!e.requireApproval,
    maxTtlSeconds: e.maxTtlSeconds ?? null,
  };
}

/** Shape rules of a label, Nest-free. */
export function labelProblem(req: Partial<EstLabelView>): string | null {
  if (typeof req.name !== 'string' || !LABEL_NAME.test(req.name) || RESERVED.has(req.name)) return 'name must be 1 to 64 letters, digits, ".", "_" or "-", and not an EST operation name';
  if (req.profile !== undefined && req.profile !== 'device') return 'profile must be "device"';
  if (req.keyTypes !== undefined && (!Array.isArray(req.keyTypes) || req.keyTypes.length === 0 || req.keyTypes.some((k) => !(KEY_TYPES as readonly string[]).includes(k)))) {
    return `keyTypes must be a non-empty list of ${KEY_TYPES.join(', ')}`;
  }
  if (req.maxTtlSeconds !== undefined && req.maxTtlSeconds !== null && (!Number.isInteger(req.maxTtlSeconds) || req.maxTtlSeconds < 60)) return 'maxTtlSeconds must be a whole number >= 60';
  return null;
}

/** The policy's TTL, bounded by the label's maximum. */
export function ttlFor(policyTtl: number, label: EstLabelView): number {
  return label.maxTtlSeconds ? Math.min(policyTtl, label.maxTtlSeconds) : policyTtl;
}
