import type { x509 } from '@iis/pki';
import type { DeviceEntity } from '../registry/device.entity';
import type { SimEntity } from '../registry/sim.entity';

export type EstOperation = 'simpleenroll' | 'simplereenroll' | 'serverkeygen';

/** The TLS client certificate, as the peer sent it: leaf DER and any intermediates. */
export interface ClientCertificate {
  der: Buffer;
  chain: Buffer[];
}

/** What the EST edge knows about a request before anything is decided. */
export interface EnrollmentRequestContext {
  operation: EstOperation;
  /** The EST label of the request ('default' without a label segment). */
  label: string;
  /** From the HTTP Authorization header, if any. */
  basic?: { username: string; password: string };
  sourceAddress: string | null;
  clientCertificate?: ClientCertificate;
  /** The Attestation-Result header: a verified attestation result id, where the class needs one. */
  attestationResultId?: string;
}

/** A successful authorization: the device it proved to be, and how to finalize it. */
export interface Authorization {
  authorizer: string;
  /**
   * What the device presented, named stably: the enrollment secret's id, the renewed
   * certificate's serial, the IDevID's fingerprint. A retry of the same enrollment presents the
   * same grant, so it keys the CA's idempotent issuance (see est/issue-idempotency-key.ts).
   */
  grant: string;
  device: DeviceEntity;
  /** The device's SIM when the authorizer already read it (saves a query); undefined = not read. */
  sim?: SimEntity | null;
  /** simplereenroll: the certificate being renewed (RFC 7030 4.2.2 compares the CSR with it). */
  currentCertificate?: x509.X509Certificate;
  /** The attestation result this enrollment spends, where the device class requires one. */
  attestationResultId?: string;
  /** Makes the authorization single-use where the method needs it; false = lost a race. */
  commit(): Promise<boolean>;
  /** Undoes commit() when issuance failed for reasons that are not the device's fault. */
  rollback(): Promise<void>;
  /**
   * Gives back the attestation result commit() spent, when no certificate came of it (refused or
   * failed after the commit): evidence of the device's state is not used up by a failed issuance.
   */
  release?(): Promise<void>;
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
