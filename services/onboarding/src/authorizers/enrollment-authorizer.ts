import type { DeviceEntity } from '../registry/device.entity';

/** What the EST edge knows about a request before anything is decided. */
export interface EnrollmentRequestContext {
  operation: 'simpleenroll' | 'simplereenroll';
  /** From the HTTP Authorization header, if any. */
  basic?: { username: string; password: string };
  sourceAddress: string | null;
}

/** A successful authorization: the device it proved to be, and how to finalize it. */
export interface Authorization {
  authorizer: string;
  device: DeviceEntity;
  /** Makes the authorization single-use where the method needs it; false = lost a race. */
  commit(): Promise<boolean>;
  /** Undoes commit() when issuance failed for reasons that are not the device's fault. */
  rollback(): Promise<void>;
}

/**
 * One way of proving the right to enroll. Each method answers only for the requests it
 * understands (`null` = not mine); the chain denies whatever no method accepted.
 */
export interface EnrollmentAuthorizer {
  readonly name: string;
  authorize(ctx: EnrollmentRequestContext): Promise<Authorization | null>;
}

/** Base for authorizers: supports nothing, so a new method overrides only what it handles. */
export abstract class DenyingAuthorizer implements EnrollmentAuthorizer {
  abstract readonly name: string;

  async authorize(_ctx: EnrollmentRequestContext): Promise<Authorization | null> {
    return null;
  }
}
