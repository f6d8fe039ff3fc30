import type { CertificateTimelineRequest } from '@iis/contracts';

export interface TimelineWindow {
  bucketSeconds: number;
  /** [from, to) of each issued bucket, oldest first; the last ends at now. */
  issued: [Date, Date][];
  /** [from, to) of each expiring bucket, soonest first; the first starts at now. */
  expiring: [Date, Date][];
}

/** The bucket edges of a certificate timeline around `now`, or the reason the request is refused. */
export function timelineWindow(req: CertificateTimelineRequest | undefined, now: Date): TimelineWindow | { problem: string } {
  const bucketSeconds = req?.bucketSeconds;
  const buckets = req?.buckets;
  if (!Number.isInteger(bucketSeconds) || bucketSeconds! < 60 || bucketSeconds! > 86400) return { problem: 'bucketSeconds must be an integer from 60 to 86400' };
  if (!Number.isInteger(buckets) || buckets! < 1 || buckets! > 168) return { problem: 'buckets must be an integer from 1 to 168' };
  const width = bucketSeconds! * 1000;
  const t = now.getTime();
  const issued: [Date, Date][] = [];
  const expiring: [Date, Date][] = [];
  for (let i = buckets! - 1; i >= 0; i--) issued.push([new Date(t - (i + 1) * width), new Date(t - i * width)]);
  for (let i = 0; i < buckets!; i++) expiring.push([new Date(t + i * width), new Date(t + (i + 1) * width)]);
  return { bucketSeconds: bucketSeconds!, issued, expiring };
}
