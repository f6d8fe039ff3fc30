import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import { CertStatus, issuerInfo, keyObjectSigner } from '@iis/pki';
import { OcspResponderCore } from '../services/ca/src/ocsp/ocsp-responder';
import { ocspHttpHandler } from '../services/ca/src/ocsp/ocsp.http';
import { normalSerial, readOpensslIndex } from './openssl-index';

/**
 * Our OCSP responder in its own process, as the peer `openssl ocsp` runs in its own: the CA's
 * responder core and /ocsp handler on node:http, answering for the same CA, with the same
 * delegated responder certificate and key, from the same index.txt. Started by
 * ocsp-peer.bench.ts with fork(); argv: ca.pem responder.pem responder.key index.txt.
 * Tells the parent its port over IPC.
 */
function main(): void {
  const [caPem, responderPem, responderKey, indexFile] = process.argv.slice(2);
  const ca = issuerInfo(new X509Certificate(fs.readFileSync(caPem)).raw);
  const key = createPrivateKey(fs.readFileSync(responderKey));
  const responder = { certificate: new X509Certificate(fs.readFileSync(responderPem)).raw, signer: keyObjectSigner(key, createPublicKey(key)) };
  const statuses = readOpensslIndex(fs.readFileSync(indexFile, 'utf8'));
  const lookup = async (_issuer: string, serialHex: string): Promise<CertStatus> => statuses.get(normalSerial(serialHex)) ?? { kind: 'unknown' };
  // Same validity as `openssl ocsp -nmin 60` gives its answers.
  const core = new OcspResponderCore([{ id: 'bench', subject: ca.subject, spki: ca.spki, responder }], lookup, () => new Date(), 3600);
  const handler = ocspHttpHandler((der) => core.respond(der), (e) => process.stderr.write(`${e.stack}\n`));
  const server = http.createServer((req, res) => handler(req, res, () => res.writeHead(404).end()));
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as import('node:net').AddressInfo).port }));
  process.on('disconnect', () => process.exit(0));
}

if (require.main === module) main();
