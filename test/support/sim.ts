/** Luhn check digit (ISO/IEC 7812-1 Annex B), as ICCIDs and IMEIs carry. */
export function luhn(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** A valid SIM identity (ICCID, IMSI, IMEI) for test device number `n`. */
export function simFor(n: number) {
  const i = 7000 + n;
  const iccid = `8944300${String(i).padStart(11, '0')}`;
  const imei = `35${String(i).padStart(12, '0')}`;
  return { iccid: iccid + luhn(iccid), imsi: `23415${String(i).padStart(10, '0')}`, imei: imei + luhn(imei) };
}
