import * as asn1js from 'asn1js';
import { buildCsrAttrs, keyTypeOf, Oids } from './csrattrs';

function oidsIn(der: Buffer): string[] {
  const parsed = asn1js.fromBER(new Uint8Array(der));
  expect(parsed.offset).not.toBe(-1);
  const out: string[] = [];
  const walk = (n: asn1js.AsnType) => {
    if (n instanceof asn1js.ObjectIdentifier) out.push(n.valueBlock.toString());
    const inner = (n as asn1js.Sequence).valueBlock?.value;
    if (Array.isArray(inner)) inner.forEach(walk);
  };
  walk(parsed.result);
  return out;
}

describe('csrattrs', () => {
  it.each([
    ['ok/P-256 with PoP', ['P-256'] as const, true, [Oids.challengePassword, Oids.ecPublicKey, Oids.secp256r1, Oids.ecdsaWithSha256]],
    ['ok/P-384 without PoP', ['P-384'] as const, false, [Oids.ecPublicKey, Oids.secp384r1, Oids.ecdsaWithSha384]],
    ['ok/RSA', ['RSA'] as const, false, [Oids.rsaEncryption, Oids.sha256WithRsa]],
    ['ok/Ed25519', ['Ed25519'] as const, false, [Oids.ed25519]],
  ])('%s', (_n, types, pop, want) => {
    const der = buildCsrAttrs(types, pop);
    expect(der[0]).toBe(0x30);
    expect(oidsIn(der)).toEqual(want);
  });

  it.each([
    ['ok/p256', 'ECDSA P-256', 'P-256'],
    ['ok/rsa', 'RSA 3072', 'RSA'],
    ['fail/unknown', 'DSA', null],
  ])('key type %s', (_n, desc, want) => {
    expect(keyTypeOf(desc)).toBe(want);
  });
});
