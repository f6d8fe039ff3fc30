import { EntityManager, In } from 'typeorm';
import { CertificateSummary, RevocationEvent, RevocationReason, Streams } from '@iis/contracts';
import { RevocationEntity } from '../log/revocation.entity';
import { OutboxMessageEntity } from '../outbox/outbox-message.entity';
import type { RevocationSigner } from '@iis/revocation-client';

export interface RevocationBatch {
  certificates: CertificateSummary[];
  reason: RevocationReason;
  cause: string;
  actor: string;
  now: Date;
  iccid?: string | null;
}

export interface WrittenRevocations {
  revoked: { serial: string; issuerId: string; sequence: number }[];
  alreadyRevoked: string[];
}

/**
 * Writes each revocation and its outgoing event in the caller's transaction (the outbox):
 * both are committed, or neither. A certificate already in the log is left as it is, so
 * repeating a command changes nothing. Each event is signed with the revocation signing key
 * and carries the log sequence, which agents follow to see a gap.
 */
export async function writeRevocations(em: EntityManager, batch: RevocationBatch, signer: RevocationSigner): Promise<WrittenRevocations> {
  // Agents treat a jump in logSequence as a gap: on PostgreSQL, writers take turns so sequences commit in order (SQLite has one writer anyway).
  if (em.connection.options.type === 'postgres') await em.query('LOCK TABLE revocation_log IN SHARE ROW EXCLUSIVE MODE');
  const serials = batch.certificates.map((c) => c.serial);
  const already = new Set(
    serials.length === 0 ? [] : (await em.find(RevocationEntity, { where: { serial: In(serials) }, select: { serial: true } })).map((r) => r.serial),
  );
  const revoked: WrittenRevocations['revoked'] = [];
  for (const cert of batch.certificates) {
    if (already.has(cert.serial)) continue;
    const row = await em.save(
      em.create(RevocationEntity, {
        serial: cert.serial,
        issuerId: cert.issuerId,
        reason: batch.reason,
        revokedAt: batch.now,
        notAfter: new Date(cert.notAfter),
        deviceId: cert.deviceId,
        iccid: batch.iccid ?? cert.iccid,
        cause: batch.cause.slice(0, 500),
        actor: batch.actor.slice(0, 200),
      }),
    );
    const event: RevocationEvent = {
      version: 1,
      logSequence: row.sequence,
      serial: row.serial,
      issuerId: row.issuerId,
      reason: batch.reason,
      revokedAt: batch.now.toISOString(),
      notAfter: row.notAfter.toISOString(),
      deviceId: row.deviceId,
      iccid: row.iccid,
      cause: row.cause,
      // Brokers that take the client identity from the certificate know the session by its CN.
      subjectCommonName: cert.subjectCommonName ?? null,
    };
    await em.insert(OutboxMessageEntity, {
      subject: Streams.revocations.eventSubject(row.issuerId),
      msgId: `revocation-${row.serial}`,
      // Signed in the same transaction: what is committed is exactly what agents verify.
      payload: JSON.stringify(signer.signEvent(event)),
      publishedAt: null,
    });
    revoked.push({ serial: row.serial, issuerId: row.issuerId, sequence: row.sequence });
  }
  return { revoked, alreadyRevoked: serials.filter((s) => already.has(s)) };
}
