import type { ImportDeviceRow } from '@iis/contracts';
import { iccidProblem, imeiProblem, imsiProblem, serialProblem } from './identifiers';

export const CLASS_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const TEXT_PATTERN = /^[\x20-\x7e]{1,100}$/;

/** Why one import row cannot be imported, or null. Nest-free; the same rules as `device add`. */
export function importRowProblem(row: ImportDeviceRow): string | null {
  const p = serialProblem(row.serial);
  if (p) return p;
  if (row.deviceClass !== undefined && (typeof row.deviceClass !== 'string' || !CLASS_PATTERN.test(row.deviceClass))) return 'class must be 1 to 64 letters, digits, ".", "_" or "-"';
  if (row.manufacturer !== undefined && (typeof row.manufacturer !== 'string' || !TEXT_PATTERN.test(row.manufacturer))) return 'manufacturer must be 1 to 100 printable characters';
  if (row.firmwareVersion !== undefined && (typeof row.firmwareVersion !== 'string' || !/^[\x21-\x7e]{1,64}$/.test(row.firmwareVersion))) return 'firmware must be 1 to 64 printable characters without spaces';
  const sim = [row.iccid, row.imsi, row.imei];
  if (sim.every((v) => v === undefined)) return null;
  if (sim.some((v) => v === undefined)) return 'a SIM needs iccid, imsi and imei together (or none of them)';
  return iccidProblem(row.iccid) ?? imsiProblem(row.imsi) ?? imeiProblem(row.imei);
}

/**
 * Splits a batch into the rows worth trying and the rejected ones: shape problems first,
 * then serials or ICCIDs repeated within the batch (the later line loses).
 */
export function screenBatch(rows: ImportDeviceRow[]): { good: ImportDeviceRow[]; rejected: { line: number; reason: string }[] } {
  const good: ImportDeviceRow[] = [];
  const rejected: { line: number; reason: string }[] = [];
  const serials = new Map<string, number>();
  const iccids = new Map<string, number>();
  for (const row of rows) {
    const line = Number.isInteger(row?.line) ? row.line : 0;
    const problem = row && typeof row === 'object' ? importRowProblem(row) : 'not a row';
    if (problem) {
      rejected.push({ line, reason: problem });
      continue;
    }
    const s = serials.get(row.serial);
    if (s !== undefined) {
      rejected.push({ line, reason: `serial ${row.serial} repeats line ${s}` });
      continue;
    }
    const i = row.iccid ? iccids.get(row.iccid) : undefined;
    if (i !== undefined) {
      rejected.push({ line, reason: `ICCID ${row.iccid} repeats line ${i}` });
      continue;
    }
    serials.set(row.serial, line);
    if (row.iccid) iccids.set(row.iccid, line);
    good.push(row);
  }
  return { good, rejected };
}
