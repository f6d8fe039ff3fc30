import type { SimSearchRequest } from '@iis/contracts';

/** An exact identifier as the registry stores it: digits only (ICCID up to 22, IMSI and IMEI up to 15). */
const LIMITS: Record<keyof SimSearchRequest, number> = { iccid: 22, imsi: 15, imei: 15 };

/**
 * The filters of a SIM search, or the reason it is refused. Exact matches only: a prefix
 * search over identifiers would let a viewer enumerate the fleet's SIMs one digit at a time.
 */
export function parseSimSearch(req: unknown): { filters: Partial<SimSearchRequest> } | { problem: string } {
  const r = (req ?? {}) as Record<string, unknown>;
  const filters: Partial<SimSearchRequest> = {};
  for (const key of Object.keys(LIMITS) as (keyof SimSearchRequest)[]) {
    const v = r[key];
    if (v === undefined || v === '') continue;
    if (typeof v !== 'string' || !new RegExp(`^\\d{1,${LIMITS[key]}}$`).test(v)) return { problem: `${key} must be 1 to ${LIMITS[key]} digits` };
    filters[key] = v;
  }
  if (Object.keys(filters).length === 0) return { problem: 'give an iccid, imsi or imei to search for' };
  return { filters };
}
