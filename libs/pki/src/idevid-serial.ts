import { x509 } from './crypto-provider';

/** IDevID identity: the subject serialNumber (802.1AR 8.6), else the common name. */
export function idevidSerial(cert: x509.X509Certificate): string | null {
  const name = cert.subjectName;
  return name.getField('2.5.4.5')[0] ?? name.getField('CN')[0] ?? null;
}
