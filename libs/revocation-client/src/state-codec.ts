/**
 * The agent's state file, binary (issue 5: a million serials load in well under a second):
 *
 *   "IISR" | u8 version=2 | 3 bytes zero | f64 lastStreamSequence | f64 lastLogSequence |
 *   f64 snapshotUpTo | u16 issuer count | per issuer: u8 length, UTF-8 id |
 *   u32 entry count | per entry: u8 serial length (1-20), serial bytes (big-endian INTEGER
 *   content without sign padding), u16 issuer index, u32 notAfter (seconds since the epoch)
 *
 * Only what enforcement needs is kept: the serial, its issuer (for the CRL files) and when
 * the entry may be forgotten (notAfter). Little-endian throughout.
 */
export const STATE_MAGIC = Buffer.from('IISR', 'ascii');
export const STATE_VERSION = 2;

export interface StateImage {
  lastStreamSequence: number;
  lastLogSequence: number;
  snapshotUpTo: number;
  issuers: string[];
  /** Normalised serial hex (lower case, no leading zeros) → [issuer index, notAfter seconds]. */
  entries: Iterable<[string, number, number]>;
  count: number;
}

export class StateDecodeError extends Error {}

export function isBinaryState(buf: Buffer): boolean {
  return buf.length >= 4 && buf.subarray(0, 4).equals(STATE_MAGIC);
}

export function encodeState(img: StateImage): Buffer {
  const issuerBytes = img.issuers.map((i) => Buffer.from(i, 'utf8'));
  const header = 4 + 4 + 24 + 2 + issuerBytes.reduce((n, b) => n + 1 + b.length, 0) + 4;
  const buf = Buffer.allocUnsafe(header + img.count * 27);
  let o = 0;
  o += STATE_MAGIC.copy(buf, o);
  buf.writeUInt32LE(STATE_VERSION, o);
  o += 4;
  o = buf.writeDoubleLE(img.lastStreamSequence, o);
  o = buf.writeDoubleLE(img.lastLogSequence, o);
  o = buf.writeDoubleLE(img.snapshotUpTo, o);
  o = buf.writeUInt16LE(issuerBytes.length, o);
  for (const b of issuerBytes) {
    o = buf.writeUInt8(b.length, o);
    o += b.copy(buf, o);
  }
  o = buf.writeUInt32LE(img.count, o);
  let written = 0;
  for (const [serial, issuer, notAfter] of img.entries) {
    const hex = serial.length % 2 ? `0${serial}` : serial;
    o = buf.writeUInt8(hex.length / 2, o);
    o += buf.write(hex, o, 'hex');
    o = buf.writeUInt16LE(issuer, o);
    o = buf.writeUInt32LE(notAfter, o);
    written++;
  }
  if (written !== img.count) throw new Error(`state image announced ${img.count} entries and held ${written}`);
  return buf.subarray(0, o);
}

/** Calls `entry` for each entry; throws StateDecodeError naming what does not fit. */
export function decodeState(buf: Buffer, entry: (serial: string, issuer: number, notAfter: number) => void): Omit<StateImage, 'entries' | 'count'> {
  const need = (o: number, n: number, what: string) => {
    if (o + n > buf.length) throw new StateDecodeError(`truncated in ${what}`);
  };
  if (!isBinaryState(buf)) throw new StateDecodeError('not a state file');
  need(0, 34, 'header');
  const version = buf.readUInt32LE(4);
  if (version !== STATE_VERSION) throw new StateDecodeError(`version ${version} is not ${STATE_VERSION}`);
  const lastStreamSequence = buf.readDoubleLE(8);
  const lastLogSequence = buf.readDoubleLE(16);
  const snapshotUpTo = buf.readDoubleLE(24);
  for (const v of [lastStreamSequence, lastLogSequence, snapshotUpTo]) {
    if (!Number.isSafeInteger(v) || v < 0) throw new StateDecodeError('a sequence is not a whole number >= 0');
  }
  let o = 32;
  const issuerCount = buf.readUInt16LE(o);
  o += 2;
  const issuers: string[] = [];
  for (let i = 0; i < issuerCount; i++) {
    need(o, 1, 'issuers');
    const len = buf.readUInt8(o++);
    need(o, len, 'issuers');
    issuers.push(buf.toString('utf8', o, o + len));
    o += len;
  }
  need(o, 4, 'entry count');
  const count = buf.readUInt32LE(o);
  o += 4;
  for (let i = 0; i < count; i++) {
    need(o, 1, `entry ${i}`);
    const len = buf[o++];
    if (len < 1 || len > 20) throw new StateDecodeError(`entry ${i}: serial length ${len}`);
    need(o, len + 6, `entry ${i}`);
    let hex = buf.toString('hex', o, o + len);
    if (hex.length > 1 && hex[0] === '0') hex = hex.slice(1);
    o += len;
    const issuer = buf.readUInt16LE(o);
    if (issuer >= issuers.length) throw new StateDecodeError(`entry ${i}: issuer index ${issuer}`);
    entry(hex, issuer, buf.readUInt32LE(o + 2));
    o += 6;
  }
  if (o !== buf.length) throw new StateDecodeError(`${buf.length - o} bytes after the last entry`);
  return { lastStreamSequence, lastLogSequence, snapshotUpTo, issuers };
}
