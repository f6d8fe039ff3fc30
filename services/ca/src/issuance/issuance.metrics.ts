import { OutcomeMetric } from '@iis/runtime';
import type { IssuedCertificate } from '@iis/contracts';

/** iis_ca_issuances_total{outcome} and their latency. */
export const issuanceMetric = new OutcomeMetric<IssuedCertificate>('iis_ca_issuances', 'Certificates issued by the CA');
