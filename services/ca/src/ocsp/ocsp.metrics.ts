import { OutcomeMetric } from '@iis/runtime';
import type { OcspAnswer } from './ocsp-responder';

/** iis_ca_ocsp_requests_total{outcome}: OCSP hits by HTTP status of the answer. */
export const ocspMetric = new OutcomeMetric<OcspAnswer>('iis_ca_ocsp_requests', 'OCSP requests answered', (a) => String(a.httpStatus));
