/** Why a piece of PKI input was refused; callers map the code, never the message. */
export enum PkiErrorCode {
  NotBase64 = 'NOT_BASE64',
  NotDer = 'NOT_DER',
  NotACsr = 'NOT_A_CSR',
  BadSignature = 'BAD_SIGNATURE',
  WeakKey = 'WEAK_KEY',
  UnsupportedKey = 'UNSUPPORTED_KEY',
  CaRequested = 'CA_REQUESTED',
  UnknownCriticalExtension = 'UNKNOWN_CRITICAL_EXTENSION',
  BadKeyPassphrase = 'BAD_KEY_PASSPHRASE',
}

export class PkiError extends Error {
  constructor(
    readonly code: PkiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PkiError';
  }
}
