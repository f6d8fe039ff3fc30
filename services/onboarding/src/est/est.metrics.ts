import { OutcomeMetric } from '@iis/runtime';
import type { EstEnrollResult } from './est-enroll.usecase';

/** iis_est_enrollments_total{outcome} and their latency: issued, pending, or the error code. */
export const enrollmentMetric = new OutcomeMetric<EstEnrollResult>('iis_est_enrollments', 'EST enrollments (simpleenroll, simplereenroll, serverkeygen)', (r) => r.kind);
