import { DomainError, ErrorCode } from '@iis/contracts';

/**
 * Query strings reach handlers as whatever the parser made of them; these accept only known
 * keys, each given once as text. Everything past here is bound as a parameter, never pasted
 * into SQL, and the services check shapes again.
 */
export function onlyKeys(query: Record<string, unknown>, known: string[]): void {
  for (const key of Object.keys(query)) {
    if (!known.includes(key)) throw new DomainError(ErrorCode.BadRequest, `unknown filter "${key.slice(0, 40)}"; known: ${known.join(', ')}`);
  }
}

export function oneText(query: Record<string, unknown>, key: string): string | undefined {
  const v = query[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new DomainError(ErrorCode.BadRequest, `${key} must be given once, as text`);
  return v;
}

export function oneInt(query: Record<string, unknown>, key: string, min: number, max: number): number | undefined {
  const v = oneText(query, key);
  if (v === undefined) return undefined;
  if (!/^\d{1,15}$/.test(v) || Number(v) < min || Number(v) > max) throw new DomainError(ErrorCode.BadRequest, `${key} must be a whole number from ${min} to ${max}`);
  return Number(v);
}
