import { createHash } from 'node:crypto';

export interface IdempotencyInputs {
  operation: 'simpleenroll' | 'simplereenroll';
  label: string;
  deviceId: string;
  /** Authorization.grant: the secret, certificate or IDevID the device presented. */
  grant: string;
  /** The CSR exactly as the device sent it (DER). */
  csrDer: Buffer;
}

/**
 * The key under which the CA issues at most one live certificate per enrollment. A device
 * that lost the answer (a NATS node died after the CA signed, and the device got 503) retries
 * with the same CSR and the same grant, so the CA answers with the certificate it already
 * issued instead of signing an orphan. A different CSR, grant, label or device is a different
 * enrollment. serverkeygen has no key: its CSR is made per request and its private key is not
 * kept, so a stored certificate could never be handed back with its key.
 */
export function issueIdempotencyKey(i: IdempotencyInputs): string {
  const csrHash = createHash('sha256').update(i.csrDer).digest('hex');
  return createHash('sha256').update([i.operation, i.label, i.deviceId, i.grant, csrHash].join('\n')).digest('hex');
}
