import { PkiError, PkiErrorCode } from './pki.errors';

/**
 * A minimal DER (X.690) writer and reader for the CA's hot paths: certificates, CRLs and
 * OCSP responses are spliced together from pre-encoded pieces instead of object trees.
 */

function lengthBytes(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  if (n < 0x100) return Buffer.from([0x81, n]);
  if (n < 0x10000) return Buffer.from([0x82, n >> 8, n & 0xff]);
  if (n < 0x1000000) return Buffer.from([0x83, n >> 16, (n >> 8) & 0xff, n & 0xff]);
  return Buffer.from([0x84, (n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
}

export function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), lengthBytes(content.length), content]);
}

/** A TLV around several pieces without copying them twice. */
export function tlvOf(tag: number, parts: Buffer[]): Buffer {
  let len = 0;
  for (const p of parts) len += p.length;
  return Buffer.concat([Buffer.from([tag]), lengthBytes(len), ...parts], 1 + (len < 0x80 ? 1 : len < 0x100 ? 2 : len < 0x10000 ? 3 : len < 0x1000000 ? 4 : 5) + len);
}

export const seq = (...parts: Buffer[]) => tlvOf(0x30, parts);
export const set = (...parts: Buffer[]) => tlvOf(0x31, parts);
export const octetString = (b: Buffer) => tlv(0x04, b);
export const nullValue = () => Buffer.from([0x05, 0x00]);
export const bool = (v: boolean) => Buffer.from([0x01, 0x01, v ? 0xff : 0x00]);
export const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
export const ia5 = (s: string) => tlv(0x16, Buffer.from(s, 'ascii'));
/** [n] EXPLICIT */
export const explicit = (n: number, ...parts: Buffer[]) => tlvOf(0xa0 | n, parts);
/** BIT STRING with no unused bits. */
export const bitString = (b: Buffer) => tlvOf(0x03, [Buffer.from([0]), b]);

/** Two's-complement DER INTEGER from unsigned big-endian magnitude bytes. */
export function integerFromBytes(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  const mag = b.subarray(i);
  return tlv(0x02, mag[0] & 0x80 ? Buffer.concat([Buffer.from([0]), mag]) : mag);
}

export function integerFromHex(hex: string): Buffer {
  return integerFromBytes(Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex'));
}

export function integer(n: number | bigint): Buffer {
  let v = BigInt(n);
  if (v < 0n) throw new RangeError('negative INTEGER not supported');
  const bytes: number[] = [];
  do {
    bytes.unshift(Number(v & 0xffn));
    v >>= 8n;
  } while (v > 0n);
  return integerFromBytes(Buffer.from(bytes));
}

export function enumerated(n: number): Buffer {
  return Buffer.from([0x0a, 0x01, n]);
}

const oidCache = new Map<string, Buffer>();
export function oid(dotted: string): Buffer {
  const hit = oidCache.get(dotted);
  if (hit) return hit;
  const arcs = dotted.split('.').map((a) => BigInt(a));
  const out: number[] = [Number(arcs[0] * 40n + arcs[1])];
  for (const arc of arcs.slice(2)) {
    const chunk: number[] = [];
    let v = arc;
    do {
      chunk.unshift(Number(v & 0x7fn));
      v >>= 7n;
    } while (v > 0n);
    for (let i = 0; i < chunk.length - 1; i++) chunk[i] |= 0x80;
    out.push(...chunk);
  }
  const enc = tlv(0x06, Buffer.from(out));
  oidCache.set(dotted, enc);
  return enc;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/** RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050; seconds, Zulu. */
export function time(d: Date): Buffer {
  const y = d.getUTCFullYear();
  const rest = `${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCDate())}${pad2(d.getUTCHours())}${pad2(d.getUTCMinutes())}${pad2(d.getUTCSeconds())}Z`;
  if (y >= 1950 && y < 2050) return tlv(0x17, Buffer.from(`${pad2(y % 100)}${rest}`, 'ascii'));
  return tlv(0x18, Buffer.from(`${y}${rest}`, 'ascii'));
}

/** GeneralizedTime, as OCSP (RFC 6960) always uses. */
export function generalizedTime(d: Date): Buffer {
  const rest = `${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCDate())}${pad2(d.getUTCHours())}${pad2(d.getUTCMinutes())}${pad2(d.getUTCSeconds())}Z`;
  return tlv(0x18, Buffer.from(`${d.getUTCFullYear()}${rest}`, 'ascii'));
}

// ---------------------------------------------------------------- reader

export interface Tlv {
  tag: number;
  /** Offset of the tag byte in the buffer. */
  start: number;
  /** Offset of the first content byte. */
  contentStart: number;
  /** Offset after the last content byte. */
  end: number;
}

/** Reads one TLV at `offset`; refuses indefinite lengths and anything past `limit` (DER only). */
export function readTlv(buf: Buffer, offset: number, limit = buf.length, what = 'DER value'): Tlv {
  const bad = (why: string) => new PkiError(PkiErrorCode.NotDer, `${what}: ${why}`);
  if (offset + 2 > limit) throw bad('truncated');
  const tag = buf[offset];
  if ((tag & 0x1f) === 0x1f) throw bad('high tag numbers are not supported');
  let len = buf[offset + 1];
  let p = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw bad('indefinite or oversized length');
    if (p + n > limit) throw bad('truncated length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p + i];
    p += n;
  }
  if (p + len > limit) throw bad('length runs past the end');
  return { tag, start: offset, contentStart: p, end: p + len };
}

/** The children of a constructed TLV. */
export function children(buf: Buffer, parent: Tlv, what = 'DER value'): Tlv[] {
  const out: Tlv[] = [];
  let p = parent.contentStart;
  while (p < parent.end) {
    const t = readTlv(buf, p, parent.end, what);
    out.push(t);
    p = t.end;
  }
  return out;
}

export const raw = (buf: Buffer, t: Tlv) => buf.subarray(t.start, t.end);
export const content = (buf: Buffer, t: Tlv) => buf.subarray(t.contentStart, t.end);

export function decodeOid(b: Buffer): string {
  const arcs: number[] = [];
  let v = 0;
  for (let i = 0; i < b.length; i++) {
    v = v * 128 + (b[i] & 0x7f);
    if (!(b[i] & 0x80)) {
      arcs.push(v);
      v = 0;
    }
  }
  if (arcs.length === 0) return '';
  const first = arcs[0] < 80 ? Math.floor(arcs[0] / 40) : 2;
  return [first, arcs[0] - first * 40, ...arcs.slice(1)].join('.');
}

/** Parses a whole DER value and insists nothing trails it. */
export function readWhole(buf: Buffer, tag: number, what: string): Tlv {
  const t = readTlv(buf, 0, buf.length, what);
  if (t.tag !== tag) throw new PkiError(PkiErrorCode.NotDer, `${what}: unexpected tag 0x${t.tag.toString(16)}`);
  if (t.end !== buf.length) throw new PkiError(PkiErrorCode.NotDer, `${what}: trailing bytes`);
  return t;
}
