/** Dates and numbers as the console shows them: UTC, to the second. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

export function shortHex(s: string, keep = 12): string {
  return s.length > keep ? `${s.slice(0, keep)}…` : s;
}
