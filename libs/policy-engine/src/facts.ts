/**
 * The facts a policy rule may use, and their types. A rule naming any other fact is refused
 * when the policy is uploaded, so a typo cannot silently make a rule never fire.
 */
export type FactType = 'string' | 'number' | 'boolean' | 'ip' | 'semver';

export const FACTS = {
  'request.action': { type: 'string', doc: 'enroll, reenroll, connect or rescore' },
  'device.known': { type: 'boolean', doc: 'the device is in the registry' },
  'device.status': { type: 'string', doc: 'pending, active, quarantined, retired' },
  'device.class': { type: 'string', doc: 'the device class from the registry' },
  'device.quarantined': { type: 'boolean', doc: 'the policy engine itself has quarantined the device' },
  'sim.known': { type: 'boolean', doc: 'the device has a registered SIM' },
  'sim.status': { type: 'string', doc: 'active, suspended, lost, retired' },
  'sim.mccMnc': { type: 'string', doc: 'home network of the IMSI as "MCC-MNC", e.g. 262-01' },
  'sim.imeiChanged': { type: 'boolean', doc: 'the SIM was seen in a device with another IMEI' },
  'sim.iccidChanged': { type: 'boolean', doc: 'the device was seen with another SIM (ICCID)' },
  'sim.keyChanged': { type: 'boolean', doc: 'the SIM was seen with a device key other than the one bound to it' },
  'network.servingCountry': { type: 'string', doc: 'ISO 3166 alpha-2 country of the serving network' },
  'network.sourceIp': { type: 'ip', doc: 'source address of the request or connection' },
  'attestation.type': { type: 'string', doc: 'none, secret, idevid, tpm' },
  'attestation.verdict': { type: 'string', doc: 'pass, fail' },
  'attestation.ageSeconds': { type: 'number', doc: 'seconds since the last attestation verdict' },
  'firmware.version': { type: 'semver', doc: 'reported firmware version' },
  'firmware.belowMinimum': { type: 'boolean', doc: 'derived: version below the minimum for the device class' },
  'firmware.knownVulnerable': { type: 'boolean', doc: 'derived: version matches the known-vulnerable list' },
  'behaviour.authFailures': { type: 'number', doc: 'authentication failures in the reporting window' },
  'behaviour.reenrollments': { type: 'number', doc: 're-enrollments in the reporting window' },
  'behaviour.concurrentAddresses': { type: 'number', doc: 'addresses one certificate is used from at once' },
  'behaviour.iccidChanges': { type: 'number', doc: 'ICCID changes seen' },
  'behaviour.imeiChanges': { type: 'number', doc: 'IMEI changes seen' },
  'behaviour.newDestinations': { type: 'number', doc: 'topics or destinations never used before' },
  'certificate.ageSeconds': { type: 'number', doc: 'age of the certificate in use' },
  'certificate.compliant': { type: 'boolean', doc: 'the certificate meets the profile (key, algorithm)' },
} as const satisfies Record<string, { type: FactType; doc: string }>;

export type FactName = keyof typeof FACTS;
export type FactValue = string | number | boolean | null | undefined;
/** Flat: `{ 'device.status': 'active', 'firmware.version': '2.1.0' }`. A missing fact is undefined. */
export type Facts = Partial<Record<FactName, FactValue>>;

export function isFactName(name: string): name is FactName {
  return Object.prototype.hasOwnProperty.call(FACTS, name);
}
