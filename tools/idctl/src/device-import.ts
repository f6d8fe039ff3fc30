/**
 * `idctl device import` input: CSV with a header naming at least serial, iccid, imsi, imei
 * (class optional), one device per line. Framework-free; the API checks every field again.
 */
export interface ImportRow {
  line: number;
  serial: string;
  deviceClass?: string;
  sim: { iccid: string; imsi: string; imei: string };
}

export interface ParsedImport {
  rows: ImportRow[];
  /** Lines that cannot be sent at all, with why. */
  problems: { line: number; message: string }[];
}

const REQUIRED = ['serial', 'iccid', 'imsi', 'imei'] as const;

/** Simple CSV (no quoted commas: none of these fields can hold one). Blank lines and # comments are skipped. */
export function parseDeviceCsv(text: string): ParsedImport {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headerIndex = lines.findIndex((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  if (headerIndex === -1) return { rows: [], problems: [{ line: 1, message: 'the file is empty' }] };
  const header = lines[headerIndex].split(',').map((h) => h.trim().toLowerCase());
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (missing.length) return { rows: [], problems: [{ line: headerIndex + 1, message: `the header lacks ${missing.join(', ')} (columns: serial,iccid,imsi,imei[,class])` }] };
  const col = (name: string) => header.indexOf(name);
  const rows: ImportRow[] = [];
  const problems: ParsedImport['problems'] = [];
  const seen = new Map<string, number>();
  for (let i = headerIndex + 1; i < lines.length; i++) {
    const raw = lines[i].trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const cells = raw.split(',').map((c) => c.trim());
    const line = i + 1;
    if (cells.length !== header.length) {
      problems.push({ line, message: `expected ${header.length} fields, found ${cells.length}` });
      continue;
    }
    const get = (name: string) => (col(name) === -1 ? undefined : cells[col(name)]);
    const empty = REQUIRED.filter((c) => !get(c));
    if (empty.length) {
      problems.push({ line, message: `empty ${empty.join(', ')}` });
      continue;
    }
    const serial = get('serial')!;
    if (seen.has(serial)) {
      problems.push({ line, message: `serial ${serial} is also on line ${seen.get(serial)}` });
      continue;
    }
    seen.set(serial, line);
    const deviceClass = get('class') || undefined;
    rows.push({ line, serial, ...(deviceClass ? { deviceClass } : {}), sim: { iccid: get('iccid')!, imsi: get('imsi')!, imei: get('imei')! } });
  }
  return { rows, problems };
}
