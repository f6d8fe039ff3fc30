import { randomBytes } from 'node:crypto';
import { makeCredential, parseTpm2bPublic, tpm2ToolsCredentialFile, tpmName, verifyQuote, parsePcrValues } from '@iis/attestation';
import { SoftwareTpm, TpmDevice } from './support/swtpm';

/**
 * The TypeScript TPM code against a real TPM: swtpm holds the EK and AK, tpm2-tools is the
 * device. MakeCredential made here must be released by tpm2_activatecredential, and only for
 * the AK it was made for; quotes made now verify.
 */
describe('TPM 2.0 against swtpm (real swtpm + tpm2-tools)', () => {
  let tpm: SoftwareTpm;
  let device: TpmDevice;
  let keys: { ekPub: Buffer; akPub: Buffer };

  beforeAll(async () => {
    tpm = await SoftwareTpm.start();
    device = new TpmDevice(tpm);
    keys = device.createKeys('ecc');
  });
  afterAll(() => tpm?.stop());

  it('ok/tpm2_activatecredential releases a credential made in TypeScript for the AK', () => {
    const credential = randomBytes(32);
    const made = makeCredential(parseTpm2bPublic(keys.ekPub), tpmName(parseTpm2bPublic(keys.akPub)), credential);
    expect(device.activateCredential(tpm2ToolsCredentialFile(made))).toEqual(credential);
  });

  it('fail/the TPM refuses a credential made for another key name', () => {
    const otherName = Buffer.concat([Buffer.from('000b', 'hex'), randomBytes(32)]);
    const made = makeCredential(parseTpm2bPublic(keys.ekPub), otherName, randomBytes(32));
    expect(() => device.activateCredential(tpm2ToolsCredentialFile(made))).toThrow(/tpm2_activatecredential failed/);
  });

  it('ok/a credential made against an ECC P-256 EK (ECDH seed, KDFe) is released by tpm2_activatecredential, only for its AK', async () => {
    const eccTpm = await SoftwareTpm.start();
    try {
      const eccDevice = new TpmDevice(eccTpm);
      const ecc = eccDevice.createKeys('ecc', 'ecc');
      const ek = parseTpm2bPublic(ecc.ekPub);
      expect(ek.keyDescription).toBe('P-256');
      const credential = randomBytes(32);
      expect(eccDevice.activateCredential(tpm2ToolsCredentialFile(makeCredential(ek, tpmName(parseTpm2bPublic(ecc.akPub)), credential)))).toEqual(credential);
      const otherName = Buffer.concat([Buffer.from('000b', 'hex'), randomBytes(32)]);
      expect(() => eccDevice.activateCredential(tpm2ToolsCredentialFile(makeCredential(ek, otherName, randomBytes(32))))).toThrow(/tpm2_activatecredential failed/);

      // Any curve and nameAlg: a P-384 storage key with SHA-384 names and AES-256 (password auth, no EK policy).
      eccTpm.tpm('tpm2_createprimary', ['-C', 'o', '-G', 'ecc384:aes256cfb', '-g', 'sha384', '-c', 'st384.ctx']);
      eccTpm.tpm('tpm2_readpublic', ['-c', 'st384.ctx', '-o', 'st384.pub']);
      const st384 = parseTpm2bPublic(eccTpm.read('st384.pub'));
      expect([st384.keyDescription, st384.symmetric?.keyBits]).toEqual(['P-384', 256]);
      const secret = randomBytes(48);
      eccTpm.write('cred384.in', tpm2ToolsCredentialFile(makeCredential(st384, tpmName(parseTpm2bPublic(ecc.akPub)), secret)));
      eccTpm.tpm('tpm2_activatecredential', ['-c', 'ak.ctx', '-C', 'st384.ctx', '-i', 'cred384.in', '-o', 'cred384.out']);
      expect(eccTpm.read('cred384.out')).toEqual(secret);
    } finally {
      eccTpm.stop();
    }
  });

  it('ok/a fresh quote over a fresh nonce verifies', () => {
    device.measure('firmware 2.0.0');
    const nonce = randomBytes(32);
    const q = device.quote(nonce);
    const attest = verifyQuote({ attest: q.attest, signature: q.signature, ak: parseTpm2bPublic(keys.akPub), nonce, pcrValues: parsePcrValues(q.pcrs) });
    expect(attest.extraData).toEqual(nonce);
  });
});
