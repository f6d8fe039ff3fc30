import type { SnapshotPageRequest } from '@iis/contracts';

export const SNAPSHOT_PAGE_DEFAULT = 2000;
/** About 150 bytes an entry: a page stays well below NATS's default 1 MiB max_payload. */
export const SNAPSHOT_PAGE_MAX = 5000;

export interface SnapshotPageQuery {
  upTo: number | undefined;
  after: number;
  limit: number;
}

const isSequence = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;

/** The shape of a snapshot page request, or the problem with it. */
export function snapshotPageQuery(req: SnapshotPageRequest | null | undefined): SnapshotPageQuery | string {
  const r = req ?? {};
  if (typeof r !== 'object') return 'a snapshot page request is an object';
  if (r.upTo !== undefined && !isSequence(r.upTo)) return 'upTo must be a log sequence';
  if (r.after !== undefined && !isSequence(r.after)) return 'after must be a log sequence';
  const limit = r.limit ?? SNAPSHOT_PAGE_DEFAULT;
  if (!Number.isInteger(limit) || limit < 1 || limit > SNAPSHOT_PAGE_MAX) return `limit must be from 1 to ${SNAPSHOT_PAGE_MAX}`;
  if (r.upTo !== undefined && r.after !== undefined && r.after > r.upTo) return 'after must not be beyond upTo';
  return { upTo: r.upTo, after: r.after ?? 0, limit };
}
