/**
 * Error codes shared by every service. A code crosses NATS unchanged, and each edge
 * (EST, operator API, CLI) maps it to its own status in exactly one place.
 */
export enum ErrorCode {
  BadRequest = 'BAD_REQUEST',
  Unauthorized = 'UNAUTHORIZED',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  Conflict = 'CONFLICT',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  BadCsr = 'BAD_CSR',
  PolicyDenied = 'POLICY_DENIED',
  Unavailable = 'UNAVAILABLE',
  Internal = 'INTERNAL',
  MethodNotAllowed = 'METHOD_NOT_ALLOWED',
  TooManyRequests = 'TOO_MANY_REQUESTS',
  /** Evidence that does not verify; the message starts with the reason code (e.g. PCR_MISMATCH). */
  AttestationRefused = 'ATTESTATION_REFUSED',
  /** The device class needs a verified attestation result before a certificate is issued. */
  AttestationRequired = 'ATTESTATION_REQUIRED',
}

/** What travels over NATS as the `err` of a reply. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Seconds a client should wait before retrying (HTTP Retry-After on 429 and 503). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  toBody(): ErrorBody {
    return { code: this.code, message: this.message };
  }

  static isBody(value: unknown): value is ErrorBody {
    return (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as ErrorBody).code === 'string' &&
      Object.values(ErrorCode).includes((value as ErrorBody).code) &&
      typeof (value as ErrorBody).message === 'string'
    );
  }
}

/** HTTP status per code, for every HTTP edge. */
export const HttpStatusByCode: Record<ErrorCode, number> = {
  [ErrorCode.BadRequest]: 400,
  [ErrorCode.BadCsr]: 400,
  [ErrorCode.Unauthorized]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.PolicyDenied]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.PayloadTooLarge]: 413,
  [ErrorCode.UnsupportedMediaType]: 415,
  [ErrorCode.Unavailable]: 503,
  [ErrorCode.Internal]: 500,
  [ErrorCode.MethodNotAllowed]: 405,
  [ErrorCode.TooManyRequests]: 429,
  [ErrorCode.AttestationRefused]: 403,
  [ErrorCode.AttestationRequired]: 403,
};
