import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull, MoreThan } from 'typeorm';
import { Clock, CLOCK } from '@iis/config';
import { AttestationResultView, DeviceAttestationResultsReply, DeviceAttestationResultsRequest, DomainError, ErrorCode, EvidenceType, GetAttestationResultRequest, RedeemAttestationResultReply, RedeemAttestationResultRequest, ReleaseAttestationResultReply, ReleaseAttestationResultRequest } from '@iis/contracts';
import { ATTESTATION_SETTINGS, AttestationSettings } from '../attestation-settings';
import type { Claims } from '../verifiers/evidence-verifier';
import { AttestationResultEntity } from './attestation-result.entity';
import { RESULT_SIGNER } from './result-signer.token';
import { ResultSigner } from './result-signer';
import { isUuid } from '../uuid';


export function resultView(e: AttestationResultEntity): AttestationResultView {
  return {
    id: e.id,
    deviceId: e.deviceId,
    evidenceType: e.evidenceType,
    verdict: e.verdict,
    claims: JSON.parse(e.claims) as Claims,
    reasonCode: e.reasonCode ?? null,
    reason: e.reason ?? null,
    issuedAt: e.issuedAt.toISOString(),
    expiresAt: e.expiresAt.toISOString(),
    usedAt: e.usedAt ? e.usedAt.toISOString() : null,
    token: e.token,
  };
}

/** Work that commits with a stored result (its id given). */
export type Alongside = (em: EntityManager, resultId: string) => Promise<void>;

/** Verified results: signed and stored, read by id, spent once by the enrollment they allow. */
@Injectable()
export class AttestationResultsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ATTESTATION_SETTINGS) private readonly settings: AttestationSettings,
    @Inject(RESULT_SIGNER) private readonly signer: ResultSigner,
  ) {}

  /** `alongside` runs in the same transaction (the outbox row of the result's fact). */
  async record(deviceId: string, evidenceType: EvidenceType, claims: Claims, alongside?: Alongside): Promise<AttestationResultView> {
    return this.store(deviceId, evidenceType, claims, null, alongside);
  }

  /** Evidence its verifier refused, kept for the operator with the reason code; never redeemable. */
  async recordRefusal(deviceId: string, evidenceType: EvidenceType, claims: Claims, refusal: { code: string; message: string }, alongside?: Alongside): Promise<AttestationResultView> {
    return this.store(deviceId, evidenceType, claims, refusal, alongside);
  }

  private async store(deviceId: string, evidenceType: EvidenceType, claims: Claims, refusal: { code: string; message: string } | null, alongside?: Alongside): Promise<AttestationResultView> {
    const id = randomUUID();
    const issuedAt = this.clock.now();
    const expiresAt = new Date(issuedAt.getTime() + this.settings.resultTtlSeconds * 1000);
    const sec = (d: Date) => Math.floor(d.getTime() / 1000);
    const verdict = refusal ? 'fail' : 'pass';
    const reasonCode = refusal?.code.slice(0, 40) ?? null;
    const token = this.signer.sign({ iss: 'iis-attestation', jti: id, sub: deviceId, iat: sec(issuedAt), exp: sec(expiresAt), evidenceType, verdict, claims, ...(reasonCode ? { reasonCode } : {}) });
    const row: AttestationResultEntity = {
      id,
      deviceId,
      evidenceType,
      verdict,
      claims: JSON.stringify(claims),
      reasonCode,
      reason: refusal?.message.slice(0, 500) ?? null,
      token,
      issuedAt,
      expiresAt,
      usedAt: null,
      usedBy: null,
    };
    await this.ds.transaction(async (em) => {
      await em.getRepository(AttestationResultEntity).insert(row);
      if (alongside) await alongside(em, id);
    });
    return resultView(row);
  }

  /** A device's results, newest first. */
  async byDevice(req: DeviceAttestationResultsRequest): Promise<DeviceAttestationResultsReply> {
    if (!req || !isUuid(req.deviceId)) throw new DomainError(ErrorCode.BadRequest, 'deviceId (a UUID) is required');
    if (req.limit !== undefined && (!Number.isInteger(req.limit) || req.limit < 1 || req.limit > 500)) throw new DomainError(ErrorCode.BadRequest, 'limit must be an integer from 1 to 500');
    const rows = await this.ds.getRepository(AttestationResultEntity).find({ where: { deviceId: req.deviceId }, order: { issuedAt: 'DESC', id: 'ASC' }, take: req.limit ?? 50 });
    return { deviceId: req.deviceId, results: rows.map(resultView) };
  }

  async get(req: GetAttestationResultRequest): Promise<AttestationResultView> {
    if (!req || !isUuid(req.id)) throw new DomainError(ErrorCode.BadRequest, 'id (a UUID) is required');
    const row = await this.ds.getRepository(AttestationResultEntity).findOneBy({ id: req.id });
    if (!row) throw new DomainError(ErrorCode.NotFound, `no attestation result ${req.id}`);
    return resultView(row);
  }

  /** One winner: the result must name the device, be unexpired and unused. A loser is told why. */
  async redeem(req: RedeemAttestationResultRequest): Promise<RedeemAttestationResultReply> {
    if (!req || !isUuid(req.id) || typeof req.deviceId !== 'string') throw new DomainError(ErrorCode.AttestationRequired, 'a valid attestation result id is required');
    if (!isUuid(req.redemptionId)) throw new DomainError(ErrorCode.BadRequest, 'redemptionId must be a UUID');
    const now = this.clock.now();
    const updated = await this.ds
      .createQueryBuilder()
      .update(AttestationResultEntity)
      .set({ usedAt: now, usedBy: req.redemptionId })
      .where({ id: req.id, deviceId: req.deviceId, verdict: 'pass', usedAt: IsNull(), expiresAt: MoreThan(now) })
      .execute();
    if (updated.affected === 1) return { redeemed: true };
    const row = await this.ds.getRepository(AttestationResultEntity).findOneBy({ id: req.id });
    const why = !row ? 'unknown attestation result' : row.deviceId !== req.deviceId ? 'the attestation result is for another device' : row.verdict !== 'pass' ? 'the attestation result did not pass' : row.usedAt ? 'the attestation result was already used' : 'the attestation result expired';
    throw new DomainError(ErrorCode.AttestationRequired, `${why} (${req.id})`);
  }

  /**
   * Gives a spent result back to its device when the enrollment that spent it issued no
   * certificate (refused or failed after the commit). Only the redemption that spent it can, so a
   * late or repeated release never frees a result a later enrollment has spent. Idempotent.
   */
  async release(req: ReleaseAttestationResultRequest): Promise<ReleaseAttestationResultReply> {
    if (!req || !isUuid(req.id) || typeof req.deviceId !== 'string' || !isUuid(req.redemptionId)) throw new DomainError(ErrorCode.BadRequest, 'id, deviceId and redemptionId (UUIDs) are required');
    const updated = await this.ds
      .createQueryBuilder()
      .update(AttestationResultEntity)
      .set({ usedAt: null, usedBy: null })
      .where({ id: req.id, deviceId: req.deviceId, usedBy: req.redemptionId })
      .execute();
    return { released: updated.affected === 1 };
  }
}
