import { EntityManager, In, IsNull, Not } from 'typeorm';
import { CertificateSummary, RevocationEvent, RevocationReason, Streams } from '@iis/contracts';
import type { RevocationSigner } from '@iis/revocation-client';
import { RevocationEntity } from '../log/revocation.entity';
import { OutboxMessageEntity } from '../outbox/outbox-message.entity';

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

export interface ReleaseBatch {
  iccid: string;
  cause: string;
  actor: string;
  now: Date;
}

/** Rows that revoke or hold a certificate now: not a release, not a released hold. */
const inEffect = { releasedAt: IsNull(), reason: Not('removeFromCRL') };

/**
 * Writes each revocation and its outgoing event in the caller's transaction (the outbox):
 * both are committed, or neither. A certificate already revoked or on hold is left as it is,
 * so repeating a command changes nothing. Each event is signed with the revocation signing key
 * and carries the log sequence, which agents follow to see a gap.
 */
export async function writeRevocations(em: EntityManager, batch: RevocationBatch, signer: RevocationSigner): Promise<WrittenRevocations> {
  await inSequenceOrder(em);
  const serials = batch.certificates.map((c) => c.serial);
  const current = serials.length === 0 ? [] : await em.find(RevocationEntity, { where: { serial: In(serials), ...inEffect }, select: { sequence: true, serial: true, reason: true } });
  // RFC 5280 5.3.1: a certificate on hold may still be revoked for good; the hold then ends
  // without a release, so resuming the SIM later does not bring it back.
  const superseded = batch.reason === 'certificateHold' ? [] : current.filter((r) => r.reason === 'certificateHold');
  for (const hold of superseded) await em.update(RevocationEntity, { sequence: hold.sequence }, { releasedAt: batch.now });
  const already = new Set(current.filter((r) => !superseded.includes(r)).map((r) => r.serial));
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
        releasedAt: null,
        // Brokers that take the client identity from the certificate know the session by its CN.
        subjectCommonName: cert.subjectCommonName?.slice(0, 64) ?? null,
      }),
    );
    await appendEvent(em, row, signer);
    revoked.push({ serial: row.serial, issuerId: row.issuerId, sequence: row.sequence });
  }
  return { revoked, alreadyRevoked: serials.filter((s) => already.has(s)) };
}

/**
 * RFC 5280 5.3.1: ends the certificateHold of every unexpired certificate of a SIM. Each held
 * row is marked released and a removeFromCRL row with its own event follows it in the log.
 */
export async function writeReleases(em: EntityManager, batch: ReleaseBatch, signer: RevocationSigner): Promise<WrittenRevocations['revoked']> {
  await inSequenceOrder(em);
  const held = await em.find(RevocationEntity, { where: { iccid: batch.iccid, reason: 'certificateHold', releasedAt: IsNull() }, order: { sequence: 'ASC' } });
  const released: WrittenRevocations['revoked'] = [];
  for (const hold of held) {
    await em.update(RevocationEntity, { sequence: hold.sequence }, { releasedAt: batch.now });
    if (hold.notAfter <= batch.now) continue; // expired: nobody accepts it anyway, nothing to announce
    const row = await em.save(
      em.create(RevocationEntity, {
        serial: hold.serial,
        issuerId: hold.issuerId,
        reason: 'removeFromCRL',
        revokedAt: batch.now,
        notAfter: hold.notAfter,
        deviceId: hold.deviceId,
        iccid: hold.iccid,
        cause: batch.cause.slice(0, 500),
        actor: batch.actor.slice(0, 200),
        releasedAt: null,
        subjectCommonName: hold.subjectCommonName,
      }),
    );
    await appendEvent(em, row, signer);
    released.push({ serial: row.serial, issuerId: row.issuerId, sequence: row.sequence });
  }
  return released;
}

/** Agents treat a jump in logSequence as a gap: on PostgreSQL, writers take turns so sequences commit in order (SQLite has one writer anyway). */
async function inSequenceOrder(em: EntityManager): Promise<void> {
  if (em.connection.options.type === 'postgres') await em.query('LOCK TABLE revocation_log IN SHARE ROW EXCLUSIVE MODE');
}

async function appendEvent(em: EntityManager, row: RevocationEntity, signer: RevocationSigner): Promise<void> {
  const event: RevocationEvent = {
    version: 1,
    logSequence: row.sequence,
    serial: row.serial,
    issuerId: row.issuerId,
    reason: row.reason as RevocationReason,
    revokedAt: row.revokedAt.toISOString(),
    notAfter: row.notAfter.toISOString(),
    deviceId: row.deviceId,
    iccid: row.iccid,
    cause: row.cause,
    subjectCommonName: row.subjectCommonName,
  };
  await em.insert(OutboxMessageEntity, {
    subject: Streams.revocations.eventSubject(row.issuerId),
    // One id per log row: a hold put on again after a release is a new message, not a duplicate.
    msgId: `revocation-${row.serial}-${row.sequence}`,
    // Signed in the same transaction: what is committed is exactly what agents verify.
    payload: JSON.stringify(signer.signEvent(event)),
    publishedAt: null,
  });
}
