import * as fs from 'node:fs';
import * as path from 'node:path';
import { CurlEst } from './est-client';
import { run } from './run';
import type { RunningSuite } from './suite';

/** curl clients for the EST and attestation endpoints of a running suite, trusting its CA chain (fetched over HTTP). */
export function deviceClients(suite: RunningSuite, work: string): { est: CurlEst; attest: CurlEst } {
  const caFile = path.join(work, 'ca.pem');
  const r = run('curl', ['-s', '-f', '-o', caFile, `${suite.caUrl}/ca/chain.pem`]);
  if (r.code !== 0) throw new Error(`CA chain not fetched: ${r.stderr}`);
  return { est: new CurlEst(suite.estUrl, caFile, work), attest: new CurlEst(suite.estUrl.replace('/.well-known/est', '/.well-known/attestation/v1'), caFile, work) };
}

/** A JSON POST as the device makes it with curl; the answer's JSON (or `{}`). */
export function postJson(client: CurlEst, work: string, op: string, json: object, extra: string[] = []) {
  const file = path.join(work, `req-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify(json));
  const r = client.call(op, { body: file, contentType: 'application/json', extra });
  return { status: r.status, json: (r.body ? JSON.parse(r.body) : {}) as Record<string, any> & { error: { code: string; message: string } } };
}

/**
 * The device key proof of SIM evidence, made by openssl: the SPKI of `publicKeyOf` (default the
 * signing key) and the raw nonce signed with `key` (SHA-256).
 */
export function simKeyProof(work: string, nonce: string, key: string, publicKeyOf = key): { publicKey: string; keySignature: string } {
  const n = path.join(work, `nonce-${Math.random().toString(36).slice(2)}`);
  fs.writeFileSync(`${n}.bin`, Buffer.from(nonce, 'base64'));
  for (const [args, what] of [
    [['dgst', '-sha256', '-sign', key, '-out', `${n}.sig`, `${n}.bin`], 'nonce signature'],
    [['pkey', '-in', publicKeyOf, '-pubout', '-outform', 'DER', '-out', `${n}.spki`], 'public key'],
  ] as const) {
    const r = run('openssl', [...args]);
    if (r.code !== 0) throw new Error(`openssl ${what}: ${r.stderr}`);
  }
  return { publicKey: fs.readFileSync(`${n}.spki`).toString('base64'), keySignature: fs.readFileSync(`${n}.sig`).toString('base64') };
}
