import { DataSource } from 'typeorm';
import { multiRowInserter } from '@iis/persistence';
import { CertificateEntity } from './certificate.entity';

const COLUMNS: Array<keyof CertificateEntity> = ['serial', 'issuerId', 'profile', 'deviceId', 'iccid', 'subject', 'notBefore', 'notAfter', 'revokedAt', 'revocationReason', 'der', 'createdAt', 'idempotencyKey', 'attestationResultId'];

/**
 * One multi-row INSERT for a batch of issued certificates (see multiRowInserter). A row whose
 * idempotency key another certificate already holds is skipped and named, so its caller can
 * answer with the certificate that won rather than failing the whole batch.
 */
export function certificateInserter(ds: DataSource): (rows: Array<Partial<CertificateEntity>>) => Promise<ReadonlySet<number>> {
  return multiRowInserter(ds, CertificateEntity, COLUMNS, { skipConflictsOn: 'idempotencyKey' });
}
