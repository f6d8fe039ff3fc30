import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull, MoreThan } from 'typeorm';
import { Clock, CLOCK } from '@iis/config';
import { AttestationError, AttestationReason, makeCredential, parseTpm2bPublic, tpm2ToolsCredentialFile, tpmName } from '@iis/attestation';
import { ChallengeReply, ChallengeRequest, ConsumeChallengeReply, ConsumeChallengeRequest, DomainError, ErrorCode } from '@iis/contracts';
import { ATTESTATION_SETTINGS, AttestationSettings } from '../attestation-settings';
import { base64Field } from '../verifiers/evidence-fields';
import { checkKeyCertificate } from '../verifiers/key-certificate';
import { refusal } from '../verifiers/refusal';
import { ChallengeEntity } from './challenge.entity';
import { isUuid } from '../uuid';

const NONCE_BYTES = 32;

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * Challenges for attestation evidence. A nonce is consumed exactly once, by the device it
 * was issued to, before it expires; a replayed, expired or foreign nonce is refused.
 * With the device's EK and AK, the challenge also carries a credential (MakeCredential) that
 * only that TPM can release for that AK.
 */
@Injectable()
export class ChallengesService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ATTESTATION_SETTINGS) private readonly settings: AttestationSettings,
  ) {}

  async create(req: ChallengeRequest): Promise<ChallengeReply> {
    if (!req || !isUuid(req.deviceId)) throw new DomainError(ErrorCode.BadRequest, 'deviceId (a UUID) is required');
    const max = this.settings.challengeTtlSeconds;
    const ttl = req.ttlSeconds ?? max;
    if (!Number.isInteger(ttl) || ttl < 1) throw new DomainError(ErrorCode.BadRequest, 'ttlSeconds must be a whole number >= 1');
    const now = this.clock.now();
    const nonce = randomBytes(NONCE_BYTES);
    const row: Partial<ChallengeEntity> = { id: randomUUID(), deviceId: req.deviceId, nonceHash: sha256(nonce), expiresAt: new Date(now.getTime() + Math.min(ttl, max) * 1000), consumedAt: null, akName: null, credentialHash: null };
    let credential: string | undefined;
    if (req.tpm !== undefined) {
      try {
        const ek = parseTpm2bPublic(base64Field(req.tpm?.ekPublic, 'tpm.ekPublic', 1024));
        const ak = parseTpm2bPublic(base64Field(req.tpm?.akPublic, 'tpm.akPublic', 1024));
        // Only an EK a TPM vendor vouches for makes the credential worth anything.
        await checkKeyCertificate(req.tpm.ekCertificate, req.tpm.ekCertificateChain, ek.key, this.settings.tpmVendorCas, now, 'EK');
        const secret = randomBytes(32);
        credential = tpm2ToolsCredentialFile(makeCredential(ek, tpmName(ak), secret)).toString('base64');
        row.akName = tpmName(ak).toString('hex');
        row.credentialHash = sha256(secret);
      } catch (e) {
        throw e instanceof AttestationError ? refusal(e) : e;
      }
    }
    await this.ds.getRepository(ChallengeEntity).insert(row);
    return { challengeId: row.id!, nonce: nonce.toString('base64'), expiresAt: row.expiresAt!.toISOString(), credential };
  }

  async consume(req: ConsumeChallengeRequest): Promise<ConsumeChallengeReply> {
    return { challengeId: (await this.spend(req)).id };
  }

  /** Marks the challenge used, atomically: one winner, and only for its device and before expiry. */
  async spend(req: ConsumeChallengeRequest): Promise<ChallengeEntity> {
    if (!req || typeof req.deviceId !== 'string' || typeof req.nonce !== 'string') throw new DomainError(ErrorCode.BadRequest, 'deviceId and nonce are required');
    const nonceHash = sha256(Buffer.from(req.nonce, 'base64'));
    const now = this.clock.now();
    const result = await this.ds
      .createQueryBuilder()
      .update(ChallengeEntity)
      .set({ consumedAt: now })
      .where({ nonceHash, deviceId: req.deviceId, consumedAt: IsNull(), expiresAt: MoreThan(now) })
      .execute();
    if (result.affected !== 1) throw new DomainError(ErrorCode.AttestationRefused, `${AttestationReason.ChallengeInvalid}: ${await this.whyRefused(nonceHash, req.deviceId, now)}`);
    return this.ds.getRepository(ChallengeEntity).findOneByOrFail({ nonceHash });
  }

  private async whyRefused(nonceHash: string, deviceId: string, now: Date): Promise<string> {
    const row = await this.ds.getRepository(ChallengeEntity).findOneBy({ nonceHash });
    if (!row) return 'unknown nonce';
    if (row.deviceId !== deviceId) return 'the nonce was issued to another device';
    if (row.consumedAt) return 'the nonce was already used (replay)';
    if (row.expiresAt.getTime() <= now.getTime()) return 'the nonce expired';
    return 'the nonce was used by a concurrent request';
  }
}
