import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull, MoreThan } from 'typeorm';
import { Clock, CLOCK } from '@iis/config';
import { ChallengeEntity } from './challenge.entity';
import { ChallengeReply, ChallengeRequest, ConsumeChallengeReply, ConsumeChallengeRequest, DomainError, ErrorCode } from '@iis/contracts';

const NONCE_BYTES = 32;
const CHALLENGE_TTL_MS = 5 * 60_000;

const hashNonce = (nonce: Buffer) => createHash('sha256').update(nonce).digest('hex');

/**
 * Challenges for attestation evidence. A nonce is consumed exactly once, by the device it
 * was issued to, before it expires; a replayed, expired or foreign nonce is refused.
 * Evidence verifiers (IDevID, TPM 2.0 quote, SIM) build on this.
 */
@Injectable()
export class ChallengesService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(req: ChallengeRequest): Promise<ChallengeReply> {
    if (!req || typeof req.deviceId !== 'string' || !/^[0-9a-f-]{36}$/i.test(req.deviceId)) {
      throw new DomainError(ErrorCode.BadRequest, 'deviceId (a UUID) is required');
    }
    const nonce = randomBytes(NONCE_BYTES);
    const id = randomUUID();
    const expiresAt = new Date(this.clock.now().getTime() + CHALLENGE_TTL_MS);
    await this.ds.getRepository(ChallengeEntity).insert({ id, deviceId: req.deviceId, nonceHash: hashNonce(nonce), expiresAt, consumedAt: null });
    return { challengeId: id, nonce: nonce.toString('base64'), expiresAt: expiresAt.toISOString() };
  }

  async consume(req: ConsumeChallengeRequest): Promise<ConsumeChallengeReply> {
    if (!req || typeof req.deviceId !== 'string' || typeof req.nonce !== 'string') {
      throw new DomainError(ErrorCode.BadRequest, 'deviceId and nonce are required');
    }
    const nonceHash = hashNonce(Buffer.from(req.nonce, 'base64'));
    const now = this.clock.now();
    const result = await this.ds
      .createQueryBuilder()
      .update(ChallengeEntity)
      .set({ consumedAt: now })
      .where({ nonceHash, deviceId: req.deviceId, consumedAt: IsNull(), expiresAt: MoreThan(now) })
      .execute();
    if (result.affected !== 1) throw new DomainError(ErrorCode.Forbidden, 'challenge unknown, expired, already used or issued to another device');
    const row = await this.ds.getRepository(ChallengeEntity).findOneByOrFail({ nonceHash });
    return { challengeId: row.id };
  }
}
