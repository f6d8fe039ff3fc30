import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError, ErrorCode, EstLabelView, SetEstLabelRequest } from '@iis/contracts';
import { DEFAULT_LABEL, LABEL_NAME, labelProblem, labelView } from './est-label-rules';
import { EstLabelEntity } from './est-label.entity';

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
