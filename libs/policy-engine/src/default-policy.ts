import type { PolicyDocument } from './policy-document';

/**
 * The shipped default policy, deny by default: an unknown device or SIM, a retired or
 * quarantined device, a lost or suspended SIM get no certificate, whatever the score. The
 * scoring rules below only take points away from a known, healthy device.
 */
export const DEFAULT_POLICY: PolicyDocument = {
  schema: 'iis.policy/v1',
  name: 'default',
  description: 'Shipped default: deny unknown devices and SIMs; score behaviour, firmware and attestation.',
  baseScore: 100,
  thresholds: { allow: 70, allowShortTtl: 50, restrict: 35, quarantine: 20 },
  ttl: { allowSeconds: 86400, shortSeconds: 3600, restrictSeconds: 900 },
  hysteresis: { points: 15 },
  firmware: { minimum: {}, vulnerable: [] },
  rules: [
    { id: 'unknown-device', description: 'device is not registered', when: { fact: 'device.known', op: 'eq', value: false }, score: -100, cap: 'deny' },
    { id: 'unknown-sim', description: 'device has no registered SIM', when: { fact: 'sim.known', op: 'eq', value: false }, score: -100, cap: 'deny' },
    { id: 'device-not-enrollable', description: 'device is retired or quarantined in the registry', when: { fact: 'device.status', op: 'in', value: ['retired', 'quarantined'] }, score: -100, cap: 'deny' },
    { id: 'sim-not-active', description: 'SIM is lost, suspended or retired', when: { fact: 'sim.status', op: 'in', value: ['lost', 'suspended', 'retired'] }, score: -100, cap: 'deny' },
    { id: 'policy-quarantine', description: 'device is quarantined by continuous evaluation', when: { fact: 'device.quarantined', op: 'eq', value: true }, cap: 'quarantine' },
    { id: 'attestation-failed', description: 'attestation evidence failed verification', when: { fact: 'attestation.verdict', op: 'eq', value: 'fail' }, score: -60, cap: 'quarantine' },
    { id: 'attestation-stale', description: 'last attestation is older than 30 days', when: { fact: 'attestation.ageSeconds', op: 'gt', value: 2592000 }, score: -10 },
    { id: 'firmware-below-minimum', description: 'firmware is below the minimum for its device class', when: { fact: 'firmware.belowMinimum', op: 'eq', value: true }, score: -50, cap: 'quarantine' },
    { id: 'firmware-vulnerable', description: 'firmware version is known to be vulnerable', when: { fact: 'firmware.knownVulnerable', op: 'eq', value: true }, score: -30 },
    { id: 'sim-in-other-device', description: 'SIM turned up in a device with another IMEI', when: { fact: 'sim.imeiChanged', op: 'eq', value: true }, score: -60, cap: 'quarantine' },
    { id: 'sim-with-other-key', description: 'SIM turned up with a device key other than the one bound to it', when: { fact: 'sim.keyChanged', op: 'eq', value: true }, score: -60, cap: 'quarantine' },
    { id: 'device-with-other-sim', description: 'device turned up with another SIM (ICCID)', when: { fact: 'sim.iccidChanged', op: 'eq', value: true }, score: -40 },
    { id: 'auth-failures', description: 'authentication failures (-10 per 5)', when: { fact: 'behaviour.authFailures', op: 'gte', value: 5 }, scorePer: { fact: 'behaviour.authFailures', every: 5, points: -10, limit: -40 } },
    { id: 'cert-shared', description: 'one certificate used from several addresses at once', when: { fact: 'behaviour.concurrentAddresses', op: 'gt', value: 1 }, score: -30 },
    { id: 'reenrollment-storm', description: 're-enrolling unusually often (-10 per 10)', when: { fact: 'behaviour.reenrollments', op: 'gte', value: 10 }, scorePer: { fact: 'behaviour.reenrollments', every: 10, points: -10, limit: -30 } },
    { id: 'new-destinations', description: 'talking to topics or destinations never used before (-5 per 3)', when: { fact: 'behaviour.newDestinations', op: 'gte', value: 3 }, scorePer: { fact: 'behaviour.newDestinations', every: 3, points: -5, limit: -20 } },
    { id: 'cert-not-compliant', description: 'certificate does not meet the profile', when: { fact: 'certificate.compliant', op: 'eq', value: false }, score: -20 },
  ],
};
