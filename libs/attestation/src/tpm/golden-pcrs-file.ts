import * as fs from 'node:fs';
import type { GoldenPcrs } from './golden-pcrs';
import { tpmHash, tpmHashByName } from './tpm-constants';

/**
 * Reads golden PCR values: a JSON array of { deviceClass, firmwareVersion, bank, pcrs }.
 * A missing file means none (every quote is then refused with NO_GOLDEN_VALUES); a malformed
 * one throws with the entry that is wrong, so the service stops at start.
 */
export function readGoldenPcrsFile(file: string): GoldenPcrs[] {
  if (!fs.existsSync(file)) return [];
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  if (!Array.isArray(parsed)) throw new Error(`${file}: expected a JSON array`);
  return parsed.map((g: Partial<GoldenPcrs>, i) => {
    const where = `${file} entry ${i}`;
    if (typeof g.deviceClass !== 'string' || typeof g.firmwareVersion !== 'string') throw new Error(`${where}: deviceClass and firmwareVersion are required strings`);
    if (typeof g.bank !== 'string') throw new Error(`${where}: bank (sha1, sha256, …) is required`);
    const size = tpmHash(tpmHashByName(g.bank)).size;
    for (const [index, hex] of Object.entries(g.pcrs ?? {})) {
      if (!/^\d+$/.test(index) || Number(index) > 23 || typeof hex !== 'string' || !new RegExp(`^[0-9a-fA-F]{${size * 2}}$`).test(hex)) throw new Error(`${where}: PCR ${index} must be ${size} bytes of hex`);
    }
    if (!g.pcrs || Object.keys(g.pcrs).length === 0) throw new Error(`${where}: pcrs must name at least one PCR`);
    return { deviceClass: g.deviceClass, firmwareVersion: g.firmwareVersion, bank: g.bank, pcrs: g.pcrs };
  });
}
