import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock, CLOCK, OnboardingConfig } from '@iis/config';
import { entitySelect, entityUpdate } from '@iis/persistence';
import { CreateSecretReply, CreateSecretRequest, DomainError, ErrorCode } from '@iis/contracts';
import { ONBOARDING_CONFIG } from '../onboarding.tokens';
import { DeviceEntity } from '../registry/device.entity';
import { EnrollmentSecretEntity } from './enrollment-secret.entity';
import { hashSecret, newSecret, secretMatches } from './secret-hash';

const MIN_TTL = 60;
const MAX_TTL = 90 * 86400;

/** One-time enrollment secrets: created for a device, shown once, consumed by one enrollment. */
@Injectable()
export class EnrollmentSecretsService {
  // Built once (entitySelect, entityUpdate): every enrollment with a secret runs them.
  private readonly unusedOfDevice: ReturnType<typeof entitySelect<EnrollmentSecretEntity>>;
  private readonly consumeUnused: ReturnType<typeof entityUpdate<EnrollmentSecretEntity>>;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(ONBOARDING_CONFIG) private readonly config: OnboardingConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    // The DataSource is initialised (TypeOrmModule) before the services that inject it are built.
    this.unusedOfDevice = entitySelect(ds, EnrollmentSecretEntity, '{deviceId} = ? AND {consumedAt} IS NULL AND {expiresAt} > ?');
    this.consumeUnused = entityUpdate(ds, EnrollmentSecretEntity, '{consumedAt} = ?', '{id} = ? AND {consumedAt} IS NULL');
  }

  async create(req: CreateSecretRequest): Promise<CreateSecretReply> {
    const ttl = req?.ttlSeconds ?? this.config.secretTtlSeconds;
    if (!Number.isInteger(ttl) || ttl < MIN_TTL || ttl > MAX_TTL) {
      throw new DomainError(ErrorCode.BadRequest, `ttlSeconds must be a whole number between ${MIN_TTL} and ${MAX_TTL}`);
    }
    const device = typeof req?.serial === 'string' ? await this.ds.getRepository(DeviceEntity).findOneBy({ serial: req.serial }) : null;
    if (!device) throw new DomainError(ErrorCode.NotFound, `no device ${String(req?.serial)}`);
    const secret = newSecret();
    const expiresAt = new Date(this.clock.now().getTime() + ttl * 1000);
    await this.ds.getRepository(EnrollmentSecretEntity).insert({
      id: randomUUID(),
      deviceId: device.id,
      hash: hashSecret(this.config.secretHashKey, secret),
      expiresAt,
      consumedAt: null,
      createdBy: String(req.actor ?? 'unknown').slice(0, 200),
    });
    return { serial: device.serial, secret, expiresAt: expiresAt.toISOString() };
  }

  /**
   * One fresh secret for each of these devices, inserted with the caller's entity manager
   * (inside its transaction). Returns the secrets in clear: shown once, never stored.
   */
  async createMany(em: EntityManager, devices: { id: string; serial: string }[], actor: string): Promise<CreateSecretReply[]> {
    const expiresAt = new Date(this.clock.now().getTime() + this.config.secretTtlSeconds * 1000);
    const out: CreateSecretReply[] = [];
    const rows = devices.map((d) => {
      const secret = newSecret();
      out.push({ serial: d.serial, secret, expiresAt: expiresAt.toISOString() });
      // A fresh object per row: TypeORM writes reloaded values back into what it inserts.
      return { id: randomUUID(), deviceId: d.id, hash: hashSecret(this.config.secretHashKey, secret), expiresAt, consumedAt: null, createdBy: actor.slice(0, 200) };
    });
    for (let i = 0; i < rows.length; i += 100) await em.insert(EnrollmentSecretEntity, rows.slice(i, i + 100));
    return out;
  }

  /** The unexpired, unused secret of this device that matches, if any. Consumes nothing. */
  async findValid(deviceId: string, secret: string): Promise<EnrollmentSecretEntity | null> {
    const candidates = await this.unusedOfDevice(['deviceId', deviceId], ['expiresAt', this.clock.now()]);
    return candidates.find((c) => secretMatches(this.config.secretHashKey, secret, c.hash)) ?? null;
  }

  /**
   * Marks the secret used. The conditional update is the single point that decides a race
   * between two enrollments with the same secret: exactly one of them sees `true`.
   */
  async consume(id: string): Promise<boolean> {
    return (await this.consumeUnused(['consumedAt', this.clock.now()], ['id', id])) === 1;
  }

  /** Gives a consumed secret back when the certificate could not be issued (CA unavailable). */
  async release(id: string): Promise<void> {
    await this.ds.getRepository(EnrollmentSecretEntity).update({ id }, { consumedAt: null });
  }
}
