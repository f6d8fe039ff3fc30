import { verify } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parsePcrValues, parseTpm2bPublic, parseTpmSignature, TpmAlg, verifyQuote } from '@iis/attestation';
import { Benchmark, opsPerSecond } from './harness';

/** The swtpm-made fixtures (test/fixtures/tpm/regenerate.sh), from dist/bench or bench/. */
function fixtures(): string {
  const root = path.resolve(__dirname, '..', '..');
  return fs.existsSync(path.join(root, 'test/fixtures/tpm')) ? path.join(root, 'test/fixtures/tpm') : path.resolve(__dirname, '../test/fixtures/tpm');
}

const pad32 = (b: Buffer) => Buffer.concat([Buffer.alloc(32 - b.length), b]);

/** ECDSA P-256 TPM 2.0 quote verification, parse to PCR digest, on one core. */
export async function attestationBenchmarks(): Promise<Benchmark[]> {
  const dir = fixtures();
  const read = (f: string) => fs.readFileSync(path.join(dir, f));
  const raw = read('ecc-sha256.pcrs');
  const pcrs = { sha256: Object.fromEntries([0, 1, 16].map((p, i) => [String(p), raw.subarray(i * 32, (i + 1) * 32).toString('hex')])) };
  const akBytes = read('ecc-sha256-ak.pub');
  const attest = read('ecc-sha256.attest');
  const signature = read('ecc-sha256.sig');
  const nonce = Buffer.from(read('nonce.hex').toString().trim(), 'hex');
  const golden = { deviceClass: 'bench', firmwareVersion: '1', bank: 'sha256', pcrs: pcrs.sha256 };
  const ak = parseTpm2bPublic(akBytes);
  const sig = parseTpmSignature(signature);
  const rs = sig.sigAlg === TpmAlg.ECDSA ? Buffer.concat([pad32(sig.r), pad32(sig.s)]) : Buffer.alloc(64);
  const raw64 = { key: ak.key, dsaEncoding: 'ieee-p1363' as const };
  return [
    {
      name: 'attestation: ECDSA P-256 TPM quote verification (parse AK + quote + signature + PCR digest + golden)',
      unit: 'verifications/s',
      goal: '>= 2,000/s on one core',
      run: () => opsPerSecond(() => verifyQuote({ attest, signature, ak: parseTpm2bPublic(akBytes), nonce, pcrValues: parsePcrValues(pcrs), golden }), 2000),
      reference: `raw node:crypto ECDSA P-256 verify of the same quote and signature: ${Math.round(await opsPerSecond(() => verify('sha256', attest, raw64, rs), 500))}/s (measured)`,
    },
  ];
}
