/**
 * Writing audit evidence: JSON Lines (one entry per line, the API's JSON unchanged) or CSV
 * (RFC 4180; cells that a spreadsheet would run as a formula are defused with a leading ').
 */
export const AUDIT_CSV_COLUMNS = ['seq', 'at', 'actor', 'role', 'action', 'target', 'device', 'reason', 'outcome', 'status', 'detail', 'actorId', 'prevHash', 'hash'] as const;

export function jsonLine(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  // CSV injection (OWASP): =, +, -, @, tab and CR start a formula in spreadsheet programs.
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(values: unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

export function csvHeader(): string {
  return csvRow([...AUDIT_CSV_COLUMNS]);
}

export function auditCsvRow(entry: Record<string, unknown>): string {
  return csvRow(AUDIT_CSV_COLUMNS.map((c) => entry[c]));
}

/** `[#######.............]  35%  700/2000 entries`; without a total, just the count. */
export function progressLine(done: number, total: number | null, what: string, width = 30): string {
  if (!total || total <= 0) return `${done} ${what}`;
  const ratio = Math.min(1, Math.max(0, done / total));
  const filled = Math.round(ratio * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(ratio * 100)).padStart(3)}%  ${done}/${total} ${what}`;
}
