import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { DataSource, QueryFailedError } from 'typeorm';
import { Clock, CLOCK } from '@iis/config';
import {
  ActivationReply,
  DomainError,
  ErrorCode,
  GetPolicyReply,
  ListPoliciesReply,
  PolicyActivationView,
  PolicySubjects,
  PolicyVersionView,
  UploadPolicyReply,
} from '@iis/contracts';
import { CompiledPolicy, compilePolicy, DEFAULT_POLICY } from '@iis/policy-engine';
import { NATS_CONNECTION } from '@iis/runtime';
import { PolicyActivationEntity } from './policy-activation.entity';
import { PolicyVersionEntity } from './policy-version.entity';

export interface ActivePolicy {
  version: number;
  /** `name@version`, stored with every decision. */
  label: string;
  compiled: CompiledPolicy;
}

/** Listeners told about every newly active policy (the bundle publisher). */
export const POLICY_ACTIVATION_LISTENERS = Symbol('PolicyActivationListeners');
export interface PolicyActivationListener {
  onActivated(active: ActivePolicy): Promise<void>;
}

/**
 * Policy documents with versions, and which one is active. A document is compiled (schema,
 * then meaning) before it is stored, so a bad upload changes nothing and the active policy
 * stays active. The activation history is append-only; its latest row names the active version.
 */
@Injectable()
export class PolicyStoreService implements OnApplicationShutdown {
  private readonly logger = new Logger('policy.store');
  private current: ActivePolicy | undefined;
  private sub: Subscription | undefined;
  private listeners: PolicyActivationListener[] = [];

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
  ) {}

  addListener(l: PolicyActivationListener): void {
    this.listeners.push(l);
  }

  /** Seeds the shipped default on first start, loads the active policy, follows activations elsewhere. */
  async start(): Promise<void> {
    const activations = this.ds.getRepository(PolicyActivationEntity);
    if ((await activations.count()) === 0) {
      try {
        await this.ds.transaction(async (em) => {
          if (!(await em.findOneBy(PolicyVersionEntity, { version: 1 }))) {
            await em.insert(PolicyVersionEntity, this.row(1, DEFAULT_POLICY, 'system'));
          }
          await em.insert(PolicyActivationEntity, { version: 1, previousVersion: null, kind: 'bootstrap', actor: 'system', reason: 'shipped default policy', activatedAt: this.clock.now() });
        });
      } catch (e) {
        // A second instance starting at the same moment seeded it first.
        this.logger.warn(`seeding the default policy: ${(e as Error).message}`);
      }
    }
    await this.reload();
    this.sub = this.nc.subscribe(PolicySubjects.activated, {
      callback: () => void this.reload().catch((e: Error) => this.logger.error(`reloading the active policy: ${e.message}`)),
    });
  }

  onApplicationShutdown(): void {
    this.sub?.unsubscribe();
  }

  active(): ActivePolicy {
    if (!this.current) throw new DomainError(ErrorCode.Unavailable, 'no active policy loaded yet');
    return this.current;
  }

  async upload(document: unknown, actor: string, activate: boolean, reason?: string): Promise<UploadPolicyReply> {
    const compiled = compilePolicy(document); // throws with the path of the offending field
    const saved = await this.ds
      .transaction(async (em) => {
        const max = (await em.createQueryBuilder(PolicyVersionEntity, 'p').select('MAX(p.version)', 'max').getRawOne<{ max: number | null }>())?.max ?? 0;
        const row = this.row(Number(max) + 1, compiled.document, actor);
        await em.insert(PolicyVersionEntity, row);
        return row;
      })
      .catch((e: unknown) => {
        // Two uploads at the same moment picked the same version number: the later one retries.
        if (e instanceof QueryFailedError) throw new DomainError(ErrorCode.Conflict, 'another policy was uploaded at the same moment; upload again');
        throw e;
      });
    const activation = activate ? (await this.activate(saved.version, actor, reason ?? 'uploaded with activate', 'activate')).activation : null;
    return { policy: this.view(saved, this.current?.version === saved.version), activation };
  }

  async activate(version: number, actor: string, reason: string | undefined, kind: 'activate' | 'rollback'): Promise<ActivationReply> {
    if (!Number.isInteger(version) || version < 1) throw new DomainError(ErrorCode.BadRequest, 'version must be a positive integer');
    const row = await this.ds.getRepository(PolicyVersionEntity).findOneBy({ version });
    if (!row) throw new DomainError(ErrorCode.NotFound, `no policy version ${version}`);
    // Compiled again: a stored document is trusted only as far as today's compiler accepts it.
    const compiled = compilePolicy(JSON.parse(row.document));
    const activation = await this.ds.transaction(async (em) => {
      const latest = await em.find(PolicyActivationEntity, { order: { id: 'DESC' }, take: 1 });
      const previous = latest[0]?.version ?? null;
      if (previous === version) throw new DomainError(ErrorCode.Conflict, `policy version ${version} is already active`);
      return em.save(em.create(PolicyActivationEntity, { version, previousVersion: previous, kind, actor, reason: reason?.slice(0, 400) ?? null, activatedAt: this.clock.now() }));
    });
    await this.use({ version, label: `${compiled.document.name}@${version}`, compiled });
    this.nc.publish(PolicySubjects.activated, JSON.stringify({ version }));
    this.logger.log(`policy ${compiled.document.name}@${version} activated by ${actor} (${kind}, previously ${activation.previousVersion ?? 'none'})`);
    return { policy: this.view(row, true), activation: activationView(activation) };
  }

  /** Back to the version that was active before the current one. */
  async rollback(actor: string, reason?: string): Promise<ActivationReply> {
    const [latest] = await this.ds.getRepository(PolicyActivationEntity).find({ order: { id: 'DESC' }, take: 1 });
    if (!latest?.previousVersion) throw new DomainError(ErrorCode.Conflict, 'there is no earlier policy to roll back to');
    return this.activate(latest.previousVersion, actor, reason ?? `rollback from version ${latest.version}`, 'rollback');
  }

  async list(): Promise<ListPoliciesReply> {
    const versions = await this.ds.getRepository(PolicyVersionEntity).find({ order: { version: 'DESC' }, take: 200 });
    const activations = await this.ds.getRepository(PolicyActivationEntity).find({ order: { id: 'DESC' }, take: 200 });
    const active = activations[0]?.version ?? null;
    return { active, versions: versions.map((v) => this.view(v, v.version === active)), activations: activations.map(activationView) };
  }

  async get(version?: number): Promise<GetPolicyReply> {
    const v = version ?? this.active().version;
    if (!Number.isInteger(v) || v < 1) throw new DomainError(ErrorCode.BadRequest, 'version must be a positive integer');
    const row = await this.ds.getRepository(PolicyVersionEntity).findOneBy({ version: v });
    if (!row) throw new DomainError(ErrorCode.NotFound, `no policy version ${v}`);
    return { policy: this.view(row, this.current?.version === v), document: JSON.parse(row.document) };
  }

  private async reload(): Promise<void> {
    const [latest] = await this.ds.getRepository(PolicyActivationEntity).find({ order: { id: 'DESC' }, take: 1 });
    if (!latest || latest.version === this.current?.version) return;
    const row = await this.ds.getRepository(PolicyVersionEntity).findOneByOrFail({ version: latest.version });
    const compiled = compilePolicy(JSON.parse(row.document));
    await this.use({ version: row.version, label: `${compiled.document.name}@${row.version}`, compiled });
  }

  private async use(active: ActivePolicy): Promise<void> {
    this.current = active;
    for (const l of this.listeners) await l.onActivated(active).catch((e: Error) => this.logger.error(`after activation: ${e.message}`));
  }

  private row(version: number, document: unknown, actor: string): PolicyVersionEntity {
    const text = JSON.stringify(document);
    return Object.assign(new PolicyVersionEntity(), {
      version,
      name: (document as { name: string }).name,
      document: text,
      sha256: createHash('sha256').update(text).digest('hex'),
      uploadedBy: actor.slice(0, 200),
      uploadedAt: this.clock.now(),
    });
  }

  private view(row: PolicyVersionEntity, active: boolean): PolicyVersionView {
    const doc = JSON.parse(row.document) as { rules?: unknown[] };
    return { version: row.version, name: row.name, sha256: row.sha256, uploadedBy: row.uploadedBy, uploadedAt: new Date(row.uploadedAt).toISOString(), active, ruleCount: doc.rules?.length ?? 0 };
  }
}

function activationView(a: PolicyActivationEntity): PolicyActivationView {
  return { id: a.id, version: a.version, previousVersion: a.previousVersion, kind: a.kind, actor: a.actor, reason: a.reason, activatedAt: new Date(a.activatedAt).toISOString() };
}
