import { generateKeyPairSync, sign } from 'node:crypto';
import { buildLeafCertificate, createCsr, createIssuingCertificate, createRootCertificate, generateKeyPair, randomSerialHex, verifyCsr } from '@iis/pki';
import { Benchmark, opsPerSecond } from './harness';

/**
 * The CA's issuing path as it is today, in process, one core: verify the CSR, build and
 * sign the certificate with @peculiar/x509 (no database). The designed fast path is the CA
 * issue's work; this figure is the baseline it must beat.
 */
export async function issuanceBenchmarks(): Promise<Benchmark[]> {
  const now = new Date();
  const rootKeys = await generateKeyPair('P-256');
  const root = await createRootCertificate({ commonName: 'Bench Root', organization: 'bench', keys: rootKeys, alg: 'P-256', notBefore: now, notAfter: new Date(now.getTime() + 86400_000 * 365) });
  const issuingKeys = await generateKeyPair('P-256');
  const issuing = await createIssuingCertificate({
    commonName: 'Bench Issuing', organization: 'bench', keys: issuingKeys, alg: 'P-256', notBefore: now, notAfter: new Date(now.getTime() + 86400_000 * 30),
    root, rootKey: rootKeys.privateKey, rootAlg: 'P-256',
  });
  const csrDer = await createCsr(await generateKeyPair('P-256'), 'bench-device');
  const issueOne = async () => {
    const csr = await verifyCsr(csrDer);
    await buildLeafCertificate({
      serialHex: randomSerialHex(), commonName: 'bench-device', uris: ['spiffe://iis.local/device/bench'], publicKey: csr.publicKey, usage: 'clientAuth',
      notBefore: now, notAfter: new Date(now.getTime() + 86400_000),
      issuer: { certificate: issuing, key: issuingKeys.privateKey, alg: 'P-256' },
      urls: { crl: 'http://localhost:8081/crl/x.crl', caIssuers: 'http://localhost:8081/ca/x.cer' },
    });
  };

  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const tbs = Buffer.alloc(400, 7);
  let raw = 0;
  const rawSign = { name: 'raw-p256-sign', unit: 'signatures/s', goal: 'ceiling', run: async () => (raw = await opsPerSecond(() => sign('sha256', tbs, privateKey))) };
  return [
    rawSign,
    {
      name: 'ca-issuance-in-process',
      unit: 'certs/s',
      goal: 'baseline (naive @peculiar/x509; see ca-issuance-hot-path)',
      run: async () => {
        if (raw === 0) raw = await opsPerSecond(() => sign('sha256', tbs, privateKey), 300);
        return opsPerSecond(issueOne, 2000);
      },
      get reference() {
        return `raw node:crypto P-256 signing: ${Math.round(raw).toLocaleString('en-US')}/s (same run)`;
      },
    },
  ];
}
