import { TrustAnchors, x509 } from '@iis/pki';

/** Manufacturer (IEEE 802.1AR IDevID) roots: trust anchors from EST_MANUFACTURER_ROOTS_DIR. */
export { TrustAnchors as ManufacturerRoots };

/** IDevID identity: the subject serialNumber (802.1AR 8.6), else the common name. */
export function idevidSerial(cert: x509.X509Certificate): string | null {
  const name = cert.subjectName;
  return name.getField('2.5.4.5')[0] ?? name.getField('CN')[0] ?? null;
}
