import { DataSource } from 'typeorm';
import { BatchWriter, multiRowInserter } from '@iis/persistence';
import { EnrollmentRecordEntity } from './enrollment-record.entity';

const COLUMNS: Array<keyof EnrollmentRecordEntity> = [
  'id', 'deviceId', 'claimedSerial', 'sourceAddress', 'operation', 'authorizer', 'outcome', 'errorCode', 'reason',
  'decisionId', 'certificateSerial', 'label', 'attestationId', 'pendingId', 'clientCertificate', 'createdAt',
];

/**
 * The record every enrollment attempt leaves, written with group commit: records of requests
 * that finish together go in one multi-row INSERT, and each caller's promise settles only
 * when the statement carrying its row committed. One row, one statement: never half-written.
 */
export function enrollmentRecordWriter(ds: DataSource): BatchWriter<Partial<EnrollmentRecordEntity>> {
  return new BatchWriter(multiRowInserter(ds, EnrollmentRecordEntity, COLUMNS));
}
