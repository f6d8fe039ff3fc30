import { generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { BatchWriter, openStore } from '@iis/persistence';
import {
  buildCaCertificate,
  buildCrlDer,
  buildOcspResponderCertificate,
  generateCaKey,
  integerFromHex,
  issuerInfo,
  keyObjectSigner,
  LeafTemplate,
  parseCsr,
  randomSerialHex,
  seq,
  octetString,
  oid,
  nullValue,
  issuerHashes,
  set,
  utf8,
  bitString,
} from '@iis/pki';
import { CA_ENTITIES, CA_MIGRATIONS } from '../services/ca/src/app.module';
import { CertificateEntity } from '../services/ca/src/issuance/certificate.entity';
import { certificateInserter } from '../services/ca/src/issuance/certificate-store';
import { OcspResponderCore } from '../services/ca/src/ocsp/ocsp-responder';
import { ocspHttpHandler } from '../services/ca/src/ocsp/ocsp.http';
import { Benchmark, opsPerSecond } from './harness';

/**
 * The CA's designed hot paths, in process, one core:
 * - issuance: CSR parse + signature check, certificate from the precomputed template, one
 *   P-256 signature, and the batched INSERT into a real SQLite file (the CA's migrations);
 * - OCSP from cache: request parse, issuer match, cached signed response;
 * - a complete CRL of 100,000 entries, encoded and signed.
 * The raw node:crypto P-256 signing rate is measured in the same run as the ceiling.
 */
export async function caBenchmarks(): Promise<Benchmark[]> {
  const now = new Date();
  const rootKeys = generateCaKey('P-256');
  const root = buildCaCertificate({ commonName: 'Bench Root', organization: 'bench', publicKey: rootKeys.publicKey, pathLen: 1, notBefore: now, notAfter: new Date(now.getTime() + 365 * 86400_000), signer: keyObjectSigner(rootKeys.privateKey, rootKeys.publicKey) });
  const issKeys = generateCaKey('P-256');
  const issuing = buildCaCertificate({ commonName: 'Bench Issuing', organization: 'bench', publicKey: issKeys.publicKey, pathLen: 0, notBefore: now, notAfter: new Date(now.getTime() + 30 * 86400_000), issuer: issuerInfo(root), signer: keyObjectSigner(rootKeys.privateKey, rootKeys.publicKey) });
  const signer = keyObjectSigner(issKeys.privateKey, issKeys.publicKey);
  const info = issuerInfo(issuing);
  const template = new LeafTemplate({ issuerCertificate: issuing, signer, usage: 'clientAuth', urls: { crl: 'http://localhost:8081/crl/issuing-x.crl', ocsp: 'http://localhost:8081/ocsp', caIssuers: 'http://localhost:8081/ca/issuing-x.cer' } });

  // Device CSRs as a fleet sends them (P-256, self-signed PKCS#10), each with its own key, so
  // nothing about one key can be reused for the next.
  const csrs = Array.from({ length: 512 }, () => {
    const dev = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    return makeCsr(dev.privateKey, dev.publicKey.export({ format: 'der', type: 'spki' }));
  });
  const csrDer = csrs[0];
  let next = 0;

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'iis-bench-ca-'));
  const ds = await openStore({ databaseUrl: undefined, dataDir }, { service: 'ca', entities: CA_ENTITIES, migrations: CA_MIGRATIONS });
  const writer = new BatchWriter<Partial<CertificateEntity>>(certificateInserter(ds));
  const issueOne = () => {
    const csr = parseCsr(csrs[next++ & 511]);
    const serial = randomSerialHex();
    const notAfter = new Date(now.getTime() + 86400_000);
    const der = template.issue({ serialHex: serial, notBefore: now, notAfter, commonName: 'bench-device', organization: 'iis.local', uris: ['spiffe://iis.local/device/bench'], spki: csr.spki });
    return writer.add({ serial, issuerId: 'issuing-x', profile: 'device', deviceId: 'bench', iccid: null, subject: 'O=iis.local, CN=bench-device', notBefore: now, notAfter, revokedAt: null, revocationReason: null, der: der.toString('base64') });
  };
  // Many issuances in flight at once, as NATS delivers them; each waits for its row to commit.
  const issueConcurrently = async (ms: number) => {
    const start = process.hrtime.bigint();
    const end = start + BigInt(ms) * 1_000_000n;
    let n = 0;
    while (process.hrtime.bigint() < end) {
      const batch: Promise<void>[] = [];
      for (let i = 0; i < 256; i++) batch.push(issueOne());
      await Promise.all(batch);
      n += 256;
    }
    return n / (Number(process.hrtime.bigint() - start) / 1e9);
  };

  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const tbs = template.tbs({ serialHex: randomSerialHex(), notBefore: now, notAfter: now, commonName: 'bench-device', spki: parseCsr(csrDer).spki });
  let raw = 0;

  // OCSP: a cache that already holds the answer for one certificate (as after its first query).
  const responderKeys = generateCaKey('P-256');
  const responderCert = buildOcspResponderCertificate({ issuer: info, signer, publicKey: responderKeys.publicKey, commonName: 'OCSP', organization: 'bench', notBefore: now, notAfter: new Date(now.getTime() + 86400_000) });
  const core = new OcspResponderCore([{ id: 'issuing-x', subject: info.subject, spki: info.spki, responder: { certificate: responderCert, signer: keyObjectSigner(responderKeys.privateKey, responderKeys.publicKey) } }], async () => ({ kind: 'good' }), () => new Date(), 3600);
  const serial = randomSerialHex();
  const h = issuerHashes(info.subject, info.spki, 'sha1');
  const ocspRequest = seq(seq(seq(seq(seq(seq(oid('1.3.14.3.2.26'), nullValue()), octetString(h.nameHash), octetString(h.keyHash), integerFromHex(serial))))));
  await core.respond(ocspRequest);

  const entries = Array.from({ length: 100_000 }, (_v, i) => ({ serialHex: randomSerialHex(), revokedAt: new Date(now.getTime() - i * 1000), reasonCode: i % 3 === 0 ? 1 : 0 }));
  const ms = (fn: () => void) => {
    const t = process.hrtime.bigint();
    fn();
    return Number(process.hrtime.bigint() - t) / 1e6;
  };

  return [
    { name: 'ca-raw-p256-sign', unit: 'signatures/s', goal: 'ceiling', run: async () => (raw = await opsPerSecond(() => sign('sha256', tbs, { key: privateKey, dsaEncoding: 'der' }))) },
    {
      name: 'ca-issuance-hot-path',
      unit: 'certs/s',
      goal: '>= 5,000 certs/s',
      run: async () => {
        raw = await opsPerSecond(() => sign('sha256', tbs, { key: privateKey, dsaEncoding: 'der' }), 300);
        return issueConcurrently(2000);
      },
      get reference() {
        return `raw node:crypto P-256 signing: ${Math.round(raw).toLocaleString('en-US')}/s (same run); CSR verify + build + sign + batched SQLite insert`;
      },
    },
    { name: 'ca-ocsp-from-cache', unit: 'responses/s', goal: '>= 10,000 responses/s', run: () => opsPerSecond(() => core.respond(ocspRequest), 1000), reference: 'parse + issuer match + cached signed response, no nonce (RFC 5019)' },
    {
      name: 'ca-ocsp-http-from-cache',
      unit: 'responses/s',
      goal: '>= 10,000 responses/s',
      run: () => ocspOverHttp(core, ocspRequest, 2000),
      reference: 'POST /ocsp over node:http, keep-alive, 32 in flight; the client runs in the same process (same core)',
    },
    { name: 'ca-crl-100k-entries', unit: 'ms', goal: '< 2,000 ms', run: async () => ms(() => buildCrlDer({ issuer: info, signer, crlNumber: 42, thisUpdate: now, nextUpdate: new Date(now.getTime() + 3600_000), entries })), reference: '100,000 revoked entries, encoded and signed' },
  ];
}

/** The CA's /ocsp handler on a real HTTP listener, driven by a keep-alive client. */
async function ocspOverHttp(core: OcspResponderCore, body: Buffer, ms: number): Promise<number> {
  const handler = ocspHttpHandler((der) => core.respond(der), () => undefined);
  const server = http.createServer((req, res) => {
    req.url = (req.url ?? '').replace(/^\/ocsp/, '') || '/';
    handler(req, res, () => res.writeHead(404).end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as import('node:net').AddressInfo).port;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/ocsp', method: 'POST', agent, headers: { 'content-type': 'application/ocsp-request', 'content-length': body.length } }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end(body);
    });
  const end = Date.now() + ms;
  let n = 0;
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: 32 }, async () => {
    while (Date.now() < end) {
      await one();
      n++;
    }
  }));
  const rate = n / (Number(process.hrtime.bigint() - start) / 1e9);
  agent.destroy();
  await new Promise((r) => server.close(r));
  return rate;
}

/** A minimal PKCS#10 request (RFC 2986) signed with the device key. */
function makeCsr(key: KeyObject, spki: Buffer): Buffer {
  const info = seq(Buffer.from([0x02, 0x01, 0x00]), seq(set(seq(oid('2.5.4.3'), utf8('device-1')))), spki, Buffer.from([0xa0, 0x00]));
  return seq(info, seq(oid('1.2.840.10045.4.3.2')), bitString(sign('sha256', info, { key, dsaEncoding: 'der' })));
}
