import * as fs from 'node:fs';
import * as path from 'node:path';
import { AttestationReason } from '../attestation.errors';
import { GoldenPcrs } from './golden-pcrs';
import { PcrValues } from './pcr-values';
import { TpmAlg } from './tpm-constants';
import { parseTpm2bPublic, tpmName } from './tpm2b-public';
import { parseQuoteAttest } from './tpms-attest';
import { parseTpmSignature } from './tpmt-signature';
import { verifyQuote } from './verify-quote';

// Known answers: every fixture was produced by swtpm + tpm2-tools (test/fixtures/tpm/regenerate.sh).
const dir = path.join(__dirname, '../../../../test/fixtures/tpm');
const read = (f: string) => fs.readFileSync(path.join(dir, f));
const nonce = Buffer.from(read('nonce.hex').toString().trim(), 'hex');
const QUOTED = [0, 1, 16];

function fixture(alg: 'ecc' | 'rsa', hash: 'sha1' | 'sha256') {
  const bank = hash === 'sha1' ? TpmAlg.SHA1 : TpmAlg.SHA256;
  const size = hash === 'sha1' ? 20 : 32;
  const raw = read(`${alg}-${hash}.pcrs`);
  const pcrValues: PcrValues = new Map([[bank, new Map(QUOTED.map((pcr, i) => [pcr, raw.subarray(i * size, (i + 1) * size)]))]]);
  const golden: GoldenPcrs = { deviceClass: 'sensor', firmwareVersion: '1.0.0', bank: hash, pcrs: Object.fromEntries(QUOTED.map((p) => [String(p), pcrValues.get(bank)!.get(p)!.toString('hex')])) };
  return { attest: read(`${alg}-${hash}.attest`), signature: read(`${alg}-${hash}.sig`), ak: parseTpm2bPublic(read(`${alg}-${hash}-ak.pub`)), nonce, pcrValues, golden, bank };
}

const CASES = [
  ['ok/ecdsa-p256-sha256', 'ecc', 'sha256'],
  ['ok/ecdsa-p256-sha1', 'ecc', 'sha1'],
  ['ok/rsassa-2048-sha256', 'rsa', 'sha256'],
  ['ok/rsassa-2048-sha1', 'rsa', 'sha1'],
] as const;

describe('verifyQuote (swtpm known answers)', () => {
  it.each(CASES)('%s', (_name, alg, hash) => {
    const f = fixture(alg, hash);
    const attest = verifyQuote(f);
    expect(attest.extraData).toEqual(nonce);
    expect(attest.pcrSelections).toEqual([{ hashAlg: f.bank, pcrs: QUOTED }]);
    expect(attest.qualifiedSigner.length).toBeGreaterThan(2);
  });

  it('ok/parses the AK and computes its Name (nameAlg SHA-256)', () => {
    const ak = parseTpm2bPublic(read('ecc-sha256-ak.pub'));
    expect(ak.type).toBe(TpmAlg.ECC);
    expect(ak.keyDescription).toBe('P-256');
    expect(tpmName(ak).subarray(0, 2).toString('hex')).toBe('000b');
    expect(tpmName(ak)).toHaveLength(34);
  });

  it('ok/parses the RSA EK with its AES-128-CFB storage parameters', () => {
    const ek = parseTpm2bPublic(read('ek.pub'));
    expect(ek.type).toBe(TpmAlg.RSA);
    expect(ek.symmetric).toEqual({ alg: TpmAlg.AES, keyBits: 128, mode: TpmAlg.CFB });
  });

  const bad: [string, () => unknown, AttestationReason][] = [
    ['fail/truncated TPMS_ATTEST', () => parseQuoteAttest(read('ecc-sha256.attest').subarray(0, 40)), AttestationReason.Truncated],
    ['fail/oversized TPMS_ATTEST (trailing byte)', () => parseQuoteAttest(Buffer.concat([read('ecc-sha256.attest'), Buffer.from([0])])), AttestationReason.Oversized],
    ['fail/oversized TPMS_ATTEST (huge)', () => parseQuoteAttest(Buffer.alloc(4096, 0xff)), AttestationReason.Oversized],
    ['fail/truncated TPMT_SIGNATURE', () => parseTpmSignature(read('ecc-sha256.sig').subarray(0, 10)), AttestationReason.Truncated],
    ['fail/oversized TPMT_SIGNATURE', () => parseTpmSignature(Buffer.concat([read('rsa-sha256.sig'), Buffer.alloc(3)])), AttestationReason.Oversized],
    ['fail/truncated TPM2B_PUBLIC', () => parseTpm2bPublic(read('ecc-sha256-ak.pub').subarray(0, 30)), AttestationReason.Truncated],
    [
      'fail/wrong magic',
      () => {
        const a = Buffer.from(read('ecc-sha256.attest'));
        a[0] = 0x00;
        return verifyQuote({ ...fixture('ecc', 'sha256'), attest: a });
      },
      AttestationReason.BadMagic,
    ],
    [
      'fail/wrong type (TPM_ST_ATTEST_CERTIFY)',
      () => {
        const a = Buffer.from(read('ecc-sha256.attest'));
        a.writeUInt16BE(0x8017, 4);
        return verifyQuote({ ...fixture('ecc', 'sha256'), attest: a });
      },
      AttestationReason.BadType,
    ],
    ['fail/quote over another nonce', () => verifyQuote({ ...fixture('ecc', 'sha256'), nonce: Buffer.alloc(32, 7) }), AttestationReason.NonceMismatch],
    ['fail/signature by another key', () => verifyQuote({ ...fixture('ecc', 'sha256'), ak: parseTpm2bPublic(read('ecc-sha1-ak.pub')) }), AttestationReason.BadSignature],
    ['fail/RSA signature checked with an ECC AK', () => verifyQuote({ ...fixture('rsa', 'sha256'), ak: parseTpm2bPublic(read('ecc-sha256-ak.pub')) }), AttestationReason.BadSignature],
    ['fail/EK is not a signing key', () => verifyQuote({ ...fixture('rsa', 'sha256'), ak: parseTpm2bPublic(read('ek.pub')) }), AttestationReason.AkNotRestricted],
    [
      'fail/signed data altered after signing',
      () => {
        const a = Buffer.from(read('rsa-sha256.attest'));
        a[a.length - 1] ^= 1;
        return verifyQuote({ ...fixture('rsa', 'sha256'), attest: a });
      },
      AttestationReason.BadSignature,
    ],
    [
      'fail/PCR values that do not match the quoted digest',
      () => {
        const f = fixture('ecc', 'sha256');
        f.pcrValues.get(TpmAlg.SHA256)!.set(16, Buffer.alloc(32, 1));
        return verifyQuote(f);
      },
      AttestationReason.PcrDigestMismatch,
    ],
    ['fail/a selected PCR not supplied', () => verifyQuote({ ...fixture('ecc', 'sha256'), pcrValues: new Map() }), AttestationReason.BadEvidence],
  ];
  it.each(bad)('%s', (_name, run, reason) => {
    expect(run).toThrow(expect.objectContaining({ reason }));
  });

  it('fail/PCR mismatch names the PCR that differs', () => {
    const f = fixture('ecc', 'sha256');
    f.golden.pcrs['16'] = '00'.repeat(32);
    expect(() => verifyQuote(f)).toThrow(expect.objectContaining({ reason: AttestationReason.PcrMismatch, details: { pcr: 16, bank: 'sha256' } }));
  });

  it('fail/golden PCR outside the quoted selection', () => {
    const f = fixture('ecc', 'sha256');
    f.golden.pcrs['7'] = '00'.repeat(32);
    expect(() => verifyQuote(f)).toThrow(expect.objectContaining({ reason: AttestationReason.PcrMismatch, details: { pcr: 7, bank: 'sha256' } }));
  });
});
