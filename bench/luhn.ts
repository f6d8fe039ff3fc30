/** The Luhn (ISO/IEC 7812-1) check digit for `digits`, as ICCIDs (ITU-T E.118) and IMEIs (3GPP TS 23.003) end in. */
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
