import * as asn1js from 'asn1js';

/** OIDs a CSR attributes answer names (RFC 7030 4.5.2). */
export const Oids = {
  challengePassword: '1.2.840.113549.1.9.7',
  ecPublicKey: '1.2.840.10045.2.1',
  secp256r1: '1.2.840.10045.3.1.7',
  secp384r1: '1.3.132.0.34',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  ed25519: '1.3.101.112',
} as const;

export type KeyType = 'P-256' | 'P-384' | 'RSA' | 'Ed25519';
export const KEY_TYPES: readonly KeyType[] = ['P-256', 'P-384', 'RSA', 'Ed25519'];

/** The label's key type as the verified CSR describes it ("ECDSA P-256", "RSA 3072", "Ed25519"). */
export function keyTypeOf(keyDescription: string): KeyType | null {
  if (keyDescription === 'ECDSA P-256') return 'P-256';
  if (keyDescription === 'ECDSA P-384') return 'P-384';
  if (keyDescription.startsWith('RSA ')) return 'RSA';
  if (keyDescription === 'Ed25519') return 'Ed25519';
  return null;
}

const oid = (value: string) => new asn1js.ObjectIdentifier({ value });
const attribute = (type: string, values: asn1js.AsnType[]) => new asn1js.Sequence({ value: [oid(type), new asn1js.Set({ value: values })] });

/**
 * CsrAttrs ::= SEQUENCE SIZE (0..MAX) OF AttrOrOID (RFC 7030 4.5.2). The preferred key type
 * (the label's first) comes as an attribute in the style of RFC 7030's own example
 * (`ecPublicKey {secp384r1}`, `rsaEncryption {INTEGER 2048}`) with its signature algorithm
 * OID; challengePassword is listed when the label requires proof-of-possession linking.
 */
export function buildCsrAttrs(keyTypes: readonly KeyType[], requireProofOfPossession: boolean): Buffer {
  const items: asn1js.AsnType[] = [];
  if (requireProofOfPossession) items.push(oid(Oids.challengePassword));
  switch (keyTypes[0]) {
    case 'P-256':
      items.push(attribute(Oids.ecPublicKey, [oid(Oids.secp256r1)]), oid(Oids.ecdsaWithSha256));
      break;
    case 'P-384':
      items.push(attribute(Oids.ecPublicKey, [oid(Oids.secp384r1)]), oid(Oids.ecdsaWithSha384));
      break;
    case 'RSA':
      items.push(attribute(Oids.rsaEncryption, [new asn1js.Integer({ value: 2048 })]), oid(Oids.sha256WithRsa));
      break;
    case 'Ed25519':
      items.push(oid(Oids.ed25519));
      break;
    default:
      break;
  }
  return Buffer.from(new asn1js.Sequence({ value: items }).toBER(false));
}
