import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { And, DataSource, FindOptionsWhere, In, LessThan, MoreThan, MoreThanOrEqual } from 'typeorm';
import { Clock, CLOCK } from '@iis/config';
import { GetSimRequest, SimView, Subjects } from '@iis/contracts';
import { RpcClient } from '@iis/messaging';
import { RPC } from '@iis/runtime';
import { AuditFields, chain, ChainedAuditEntry, ChainVerifier } from './audit-chain';
import { AuditEntryEntity } from './audit-entry.entity';

export interface AuditQuery {
  since?: Date;
  until?: Date;
  /** Any of these (a device is named by serial in some entries and by id in others). */
  devices?: string[];
  actor?: string;
  action?: string;
  /** Entries after this sequence number (the cursor of the previous page). */
  after?: number;
  limit: number;
}

export interface AuditPage {
  entries: ChainedAuditEntry[];
  /** Pass as `after` for the next page; null on the last page. */
  nextCursor: number | null;
  /** The newest entry's sequence number when the page was read (progress for long exports). */
  headSeq: number | null;
}

/** Appends to and reads the hash-chained audit trail. Nothing here updates or deletes. */
@Injectable()
export class AuditService {
  private readonly logger = new Logger('operator-api.audit');
  /** Appends from this process run one at a time; other instances are caught by the seq key. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(RPC) private readonly rpc: RpcClient,
  ) {}

  /**
   * The device an action concerns, for "which device, what, when": the serial when the request
   * names one, else the id of the device a named SIM is bound to (asked of the registry).
   */
  async deviceOf(named: string | null, iccid: unknown): Promise<string | null> {
    if (named) return named;
    if (typeof iccid !== 'string' || !/^\d{18,22}$/.test(iccid)) return null;
    try {
      const sim = await this.rpc.request<GetSimRequest, SimView>(Subjects.onboarding.getSim, { iccid }, 5000);
      return sim.deviceId;
    } catch {
      return null;
    }
  }

  append(fields: Omit<AuditFields, 'at'>): Promise<ChainedAuditEntry> {
    const run = this.tail.then(() => this.appendWithRetry(fields));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async appendWithRetry(fields: Omit<AuditFields, 'at'>): Promise<ChainedAuditEntry> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.ds.transaction(async (m) => {
          const repo = m.getRepository(AuditEntryEntity);
          const [last] = await repo.find({ order: { seq: 'DESC' }, take: 1, select: { seq: true, hash: true } });
          const entry = chain(last ?? null, { ...fields, at: this.clock.now() });
          await repo.insert(entry);
          return entry;
        });
      } catch (e) {
        // Another instance took this sequence number first: chain onto its entry instead.
        if (attempt >= 5) {
          this.logger.error(`audit append failed: ${(e as Error).message}`);
          throw e;
        }
      }
    }
  }

  async page(q: AuditQuery): Promise<AuditPage> {
    const where: FindOptionsWhere<AuditEntryEntity> = {};
    if (q.after !== undefined) where.seq = MoreThan(q.after);
    if (q.since && q.until) where.at = And(MoreThanOrEqual(q.since), LessThan(q.until));
    else if (q.since) where.at = MoreThanOrEqual(q.since);
    else if (q.until) where.at = LessThan(q.until);
    if (q.devices !== undefined) where.device = In(q.devices);
    if (q.actor !== undefined) where.actor = q.actor;
    if (q.action !== undefined) where.action = q.action;
    const rows = await this.ds.getRepository(AuditEntryEntity).find({ where, order: { seq: 'ASC' }, take: q.limit + 1 });
    const more = rows.length > q.limit;
    const entries = rows.slice(0, q.limit).map(toChained);
    const head = await this.ds.getRepository(AuditEntryEntity).createQueryBuilder('a').select('MAX(a.seq)', 'head').getRawOne<{ head: number | string | null }>();
    return { entries, nextCursor: more ? entries[entries.length - 1].seq : null, headSeq: head?.head == null ? null : Number(head.head) };
  }

  /** Walks the whole chain in order, a batch at a time, and names the first entry that does not fit. */
  async verify(batch = 2000): Promise<ReturnType<ChainVerifier['result']>> {
    const v = new ChainVerifier();
    const repo = this.ds.getRepository(AuditEntryEntity);
    let after = 0;
    for (;;) {
      const rows = await repo.find({ where: { seq: MoreThan(after) }, order: { seq: 'ASC' }, take: batch });
      for (const row of rows) if (!v.push(toChained(row))) return v.result();
      if (rows.length < batch) return v.result();
      after = rows[rows.length - 1].seq;
    }
  }

  async count(): Promise<number> {
    return this.ds.getRepository(AuditEntryEntity).count();
  }
}

function toChained(row: AuditEntryEntity): ChainedAuditEntry {
  return { ...row, at: new Date(row.at), status: Number(row.status), seq: Number(row.seq) };
}
