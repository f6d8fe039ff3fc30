/** Shape and check-digit rules for the identifiers a device and its SIM carry. */

/** Luhn (ISO/IEC 7812-1) over a string of digits whose last digit is the check digit. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** ITU-T E.118: ICCIDs start with the telecom industry prefix 89 and end in a Luhn digit. */
export function iccidProblem(iccid: unknown): string | null {
  if (typeof iccid !== 'string' || !/^\d{18,22}$/.test(iccid)) return 'ICCID must be 18 to 22 digits';
  if (!iccid.startsWith('89')) return 'ICCID must start with 89 (ITU-T E.118 telecom prefix)';
  if (!luhnValid(iccid)) return 'ICCID check digit (Luhn) is wrong';
  return null;
}

/** ITU-T E.212: MCC (3) + MNC (2-3) + MSIN, at most 15 digits. */
export function imsiProblem(imsi: unknown): string | null {
  if (typeof imsi !== 'string' || !/^\d{6,15}$/.test(imsi)) return 'IMSI must be 6 to 15 digits';
  return null;
}

/** 3GPP TS 23.003: 14 digits and a Luhn check digit. */
export function imeiProblem(imei: unknown): string | null {
  if (typeof imei !== 'string' || !/^\d{15}$/.test(imei)) return 'IMEI must be 15 digits';
  if (!luhnValid(imei)) return 'IMEI check digit (Luhn) is wrong';
  return null;
}

/** Device serials are also HTTP Basic user names, so no colon and no control characters. */
export function serialProblem(serial: unknown): string | null {
  if (typeof serial !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(serial)) {
    return 'serial must be 1 to 64 characters of letters, digits, ".", "_" or "-"';
  }
  return null;
}
