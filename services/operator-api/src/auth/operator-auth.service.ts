import { Inject, Injectable } from '@nestjs/common';
import { Clock, CLOCK } from '@iis/config';
import { DomainError, ErrorCode } from '@iis/contracts';
import { OperatorCertificatesService } from '../operator-certificates/operator-certificates.service';
import { Operator, OperatorTokensService } from './operator-tokens.service';
import { FailureRateLimiter } from './rate-limiter';

/** Ten failed attempts per address per minute, then a pause: guessing a 256-bit token stays hopeless and cheap to refuse. */
export const AUTH_FAILURES_PER_WINDOW = 10;
export const AUTH_FAILURE_WINDOW_MS = 60_000;

/** Turns an Authorization header into an operator, with the brute-force brake in front. */
@Injectable()
export class OperatorAuthService {
  private readonly limiter = new FailureRateLimiter({ maxFailures: AUTH_FAILURES_PER_WINDOW, windowMs: AUTH_FAILURE_WINDOW_MS });

  constructor(
    private readonly tokens: OperatorTokensService,
    private readonly certificates: OperatorCertificatesService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * @param peerCertificate the DER of a client certificate the TLS layer has verified against the
   *   CA chain (only on the mTLS listener); when present it is the credential.
   */
  async authenticate(authorization: string | undefined, client: string, retryAfter: (seconds: number) => void, peerCertificate?: Buffer): Promise<Operator> {
    const now = this.clock.now().getTime();
    const wait = this.limiter.retryAfterMs(client, now);
    if (wait > 0) {
      retryAfter(Math.ceil(wait / 1000));
      throw new DomainError(ErrorCode.TooManyRequests, 'too many failed authentication attempts from this address; try again later');
    }
    if (peerCertificate) {
      const operator = await this.certificates.authenticate(peerCertificate);
      if (operator) return operator;
      this.limiter.recordFailure(client, now);
      throw new DomainError(ErrorCode.Unauthorized, 'client certificate not bound to an operator, expired or revoked');
    }
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!m) throw new DomainError(ErrorCode.Unauthorized, 'a bearer token is required');
    const operator = await this.tokens.authenticate(m[1]);
    if (!operator) {
      this.limiter.recordFailure(client, now);
      throw new DomainError(ErrorCode.Unauthorized, 'token unknown, expired or revoked');
    }
    return operator;
  }
}
