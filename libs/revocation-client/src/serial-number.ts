const HEX = /^[0-9a-fA-F]+$/;
/** RFC 5280 4.1.2.2: a serial is at most 20 octets. */
const MAX_SERIAL_HEX_DIGITS = 40;

/**
 * The one comparable form of a certificate serial: lower case, no leading zeros ("0" for
 * zero). `05AB` and `5ab` are the same INTEGER, so they are the same serial.
 * Undefined when the input is not a hex serial of at most 20 octets.
 */
export function normalizeSerial(serialHex: string): string | undefined {
  if (typeof serialHex !== 'string' || !HEX.test(serialHex)) return undefined;
  const digits = serialHex.toLowerCase().replace(/^0+/, '') || '0';
  return digits.length <= MAX_SERIAL_HEX_DIGITS ? digits : undefined;
}
