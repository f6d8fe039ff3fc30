/**
 * When to renew a certificate: at about two thirds of its life, with up to ±10 % of the
 * life as jitter so a fleet of gateways does not renew in the same second.
 */
export function renewalTime(notBefore: Date, notAfter: Date, random: () => number = Math.random): Date {
  const life = notAfter.getTime() - notBefore.getTime();
  const jitter = (random() * 2 - 1) * 0.1 * life;
  return new Date(notBefore.getTime() + (2 / 3) * life + jitter);
}

/** Renew now when there is no certificate, it is past its renewal time, or it has expired. */
export function needsRenewal(cert: { notBefore: Date; notAfter: Date } | undefined, now: Date, random?: () => number): boolean {
  if (!cert) return true;
  return now >= cert.notAfter || now >= renewalTime(cert.notBefore, cert.notAfter, random);
}
