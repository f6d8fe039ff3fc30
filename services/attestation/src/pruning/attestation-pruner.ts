import { DataSource, LessThan } from 'typeorm';
import { ChallengeEntity } from '../challenges/challenge.entity';
import { AttestationResultEntity } from '../results/attestation-result.entity';

export interface PruneCounts {
  challenges: number;
  results: number;
}

/**
 * Deletes challenges that have expired (spent or not: an expired nonce is refused either way)
 * and results that expired more than `resultRetentionSeconds` ago (kept that long for the
 * operator). Each is one DELETE with a time bound: running it twice, or in several instances
 * at once, deletes each row once and nothing else, so no leader is needed.
 */
export class AttestationPruner {
  constructor(
    private readonly ds: DataSource,
    private readonly resultRetentionSeconds: number,
  ) {}

  async prune(now: Date): Promise<PruneCounts> {
    const challenges = await this.ds.createQueryBuilder().delete().from(ChallengeEntity).where({ expiresAt: LessThan(now) }).execute();
    const cutoff = new Date(now.getTime() - this.resultRetentionSeconds * 1000);
    const results = await this.ds.createQueryBuilder().delete().from(AttestationResultEntity).where({ expiresAt: LessThan(cutoff) }).execute();
    return { challenges: challenges.affected ?? 0, results: results.affected ?? 0 };
  }
}
