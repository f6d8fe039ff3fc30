import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError, ErrorCode, EstLabelView, SetEstLabelRequest } from '@iis/contracts';
import { KEY_TYPES } from './csrattrs';
import { EstLabelEntity } from './est-label.entity';

/** Requests without a label segment use the label named "default", or these settings. */
export const DEFAULT_LABEL: EstLabelView = {
  name: 'default',
  profile: 'device',
  keyTypes: ['P-256', 'P-384', 'RSA', 'Ed25519'],
  requireProofOfPossession: false,
  requireApproval: false,
  maxTtlSeconds: null,
};

const LABEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const RESERVED = new Set(['cacerts', 'csrattrs', 'simpleenroll', 'simplereenroll', 'serverkeygen', 'fullcmc', 'serverkeygen']);

export function labelView(e: EstLabelEntity): EstLabelView {
  return {
    name: e.name,
    profile: e.profile,
    keyTypes: e.keyTypes.split(',').filter(Boolean),
    requireProofOfPossession: !!e.requireProofOfPossession,
    requireApproval: !!e.requireApproval,
    maxTtlSeconds: e.maxTtlSeconds ?? null,
  };
}

/** Shape rules of a label, Nest-free. */
export function labelProblem(req: Partial<EstLabelView>): string | null {
  if (typeof req.name !== 'string' || !LABEL_NAME.test(req.name) || RESERVED.has(req.name)) return 'name must be 1 to 64 letters, digits, ".", "_" or "-", and not an EST operation name';
  if (req.profile !== undefined && req.profile !== 'device') return 'profile must be "device"';
  if (req.keyTypes !== undefined && (!Array.isArray(req.keyTypes) || req.keyTypes.length === 0 || req.keyTypes.some((k) => !(KEY_TYPES as readonly string[]).includes(k)))) {
    return `keyTypes must be a non-empty list of ${KEY_TYPES.join(', ')}`;
  }
  if (req.maxTtlSeconds !== undefined && req.maxTtlSeconds !== null && (!Number.isInteger(req.maxTtlSeconds) || req.maxTtlSeconds < 60)) return 'maxTtlSeconds must be a whole number >= 60';
  return null;
}

/** EST labels, cached briefly: every enrollment reads its label. */
@Injectable()
export class EstLabelsService {
  private cache = new Map<string, { view: EstLabelView | null; until: number }>();

  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** The label of a request; unknown labels are 404 (RFC 7030 3.2.2 leaves them to the server). */
  async resolve(name: string | undefined): Promise<EstLabelView> {
    const key = name ?? 'default';
    const hit = this.cache.get(key);
    let view: EstLabelView | null;
    if (hit && hit.until > Date.now()) view = hit.view;
    else {
      const row = LABEL_NAME.test(key) ? await this.ds.getRepository(EstLabelEntity).findOneBy({ name: key }) : null;
      view = row ? labelView(row) : null;
      this.cache.set(key, { view, until: Date.now() + 2000 });
    }
    if (view) return view;
    if (name === undefined) return DEFAULT_LABEL;
    throw new DomainError(ErrorCode.NotFound, `unknown EST label "${name}"`);
  }

  async set(req: SetEstLabelRequest): Promise<EstLabelView> {
    const problem = labelProblem(req ?? {});
    if (problem) throw new DomainError(ErrorCode.BadRequest, problem);
    const row: Partial<EstLabelEntity> = {
      name: req.name,
      profile: 'device',
      keyTypes: (req.keyTypes ?? DEFAULT_LABEL.keyTypes).join(','),
      requireProofOfPossession: !!req.requireProofOfPossession,
      requireApproval: !!req.requireApproval,
      maxTtlSeconds: req.maxTtlSeconds ?? null,
      updatedBy: String(req.actor ?? 'unknown').slice(0, 200),
    };
    await this.ds.getRepository(EstLabelEntity).save(row);
    this.cache.delete(req.name);
    return labelView(await this.ds.getRepository(EstLabelEntity).findOneByOrFail({ name: req.name }));
  }

  async list(): Promise<EstLabelView[]> {
    return (await this.ds.getRepository(EstLabelEntity).find({ order: { name: 'ASC' } })).map(labelView);
  }
}
