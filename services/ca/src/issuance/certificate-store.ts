import { DataSource } from 'typeorm';
import { multiRowInserter } from '@iis/persistence';
import { CertificateEntity } from './certificate.entity';

const COLUMNS: Array<keyof CertificateEntity> = ['serial', 'issuerId', 'profile', 'deviceId', 'iccid', 'subject', 'notBefore', 'notAfter', 'revokedAt', 'revocationReason', 'der', 'createdAt'];

/** One multi-row INSERT for a batch of issued certificates (see multiRowInserter). */
export function certificateInserter(ds: DataSource): (rows: Array<Partial<CertificateEntity>>) => Promise<void> {
  return multiRowInserter(ds, CertificateEntity, COLUMNS);
}
