import type { ImportDeviceRow } from '@iis/contracts';

/** Columns `idctl device import` understands; the header line names them, in any order. */
export const CSV_COLUMNS = ['serial', 'class', 'manufacturer', 'firmware', 'iccid', 'imsi', 'imei'] as const;
const FIELD: Record<(typeof CSV_COLUMNS)[number], keyof ImportDeviceRow> = {
  serial: 'serial',
  class: 'deviceClass',
  manufacturer: 'manufacturer',
  firmware: 'firmwareVersion',
  iccid: 'iccid',
  imsi: 'imsi',
  imei: 'imei',
};

/** One CSV record (RFC 4180 quoting, no line breaks inside quotes), or a reason. */
export function splitCsvLine(line: string): string[] | string {
  const out: string[] = [];
  let i = 0;
  while (true) {
    if (line[i] === '"') {
      let v = '';
      i++;
      while (true) {
        if (i >= line.length) return 'unterminated quoted field';
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            v += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        v += line[i++];
      }
      if (i < line.length && line[i] !== ',') return 'text after a closing quote';
      out.push(v);
    } else {
      const end = line.indexOf(',', i);
      const v = end === -1 ? line.slice(i) : line.slice(i, end);
      if (v.includes('"')) return 'a quote inside an unquoted field';
      out.push(v);
      i = end === -1 ? line.length : end;
    }
    if (i >= line.length) return out;
    i++; // the comma
  }
}

export interface ParsedCsv {
  rows: ImportDeviceRow[];
  /** Lines refused before anything was sent: malformed CSV, wrong column count. */
  rejected: { line: number; reason: string }[];
}

/**
 * Parses the import file. The first non-empty line is the header; blank lines and lines
 * starting with # are skipped. Line numbers are 1-based lines of the file.
 */
export function parseDeviceCsv(text: string): ParsedCsv | string {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let header: (typeof CSV_COLUMNS)[number][] | undefined;
  const rows: ImportDeviceRow[] = [];
  const rejected: { line: number; reason: string }[] = [];
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n];
    if (raw.trim() === '' || raw.startsWith('#')) continue;
    const fields = splitCsvLine(raw);
    if (!header) {
      if (typeof fields === 'string') return `line ${n + 1}: header: ${fields}`;
      const names = fields.map((f) => f.trim().toLowerCase());
      const unknown = names.filter((f) => !(CSV_COLUMNS as readonly string[]).includes(f));
      if (unknown.length) return `line ${n + 1}: unknown column(s) ${unknown.join(', ')}; known: ${CSV_COLUMNS.join(', ')}`;
      if (!names.includes('serial')) return `line ${n + 1}: the header must name a serial column`;
      if (new Set(names).size !== names.length) return `line ${n + 1}: a column is named twice`;
      header = names as (typeof CSV_COLUMNS)[number][];
      continue;
    }
    if (typeof fields === 'string') {
      rejected.push({ line: n + 1, reason: fields });
      continue;
    }
    if (fields.length !== header.length) {
      rejected.push({ line: n + 1, reason: `${fields.length} fields, the header has ${header.length}` });
      continue;
    }
    const row: ImportDeviceRow = { line: n + 1, serial: '' };
    header.forEach((col, i) => {
      const v = fields[i].trim();
      if (v !== '') (row as unknown as Record<string, string>)[FIELD[col]] = v;
    });
    rows.push(row);
  }
  if (!header) return 'the file is empty: expected a header line such as serial,class,manufacturer,firmware,iccid,imsi,imei';
  return { rows, rejected };
}

/** `[########............]  40%  40,000/100,000 rows` */
export function progressBar(done: number, total: number, width = 30): string {
  const frac = total === 0 ? 1 : Math.min(1, done / total);
  const filled = Math.round(frac * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(frac * 100)).padStart(3)}%  ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} rows`;
}
