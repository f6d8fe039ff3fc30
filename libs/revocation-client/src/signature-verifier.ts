import { verify, X509Certificate } from 'node:crypto';
import {
  eventSigningInput,
  REVOCATION_SIGNER_EKU_OID,
  RevocationEvent,
  RevocationSignature,
  SnapshotPage,
  snapshotPageSigningInput,
} from '@iis/contracts';
import { normalizeSerial } from './serial-number';
import { SignatureScheme, signatureScheme } from './signature-scheme';

/** Why a signature was not accepted. Specs assert these, never the detail text. */
export enum SignatureRejectCode {
  Unsigned = 'UNSIGNED',
  BadSignatureField = 'BAD_SIGNATURE_FIELD',
  NoTrustAnchors = 'NO_TRUST_ANCHORS',
  UntrustedSigner = 'UNTRUSTED_SIGNER',
  NotARevocationSigner = 'NOT_A_REVOCATION_SIGNER',
  SignerNotValidAtSigningTime = 'SIGNER_NOT_VALID_AT_SIGNING_TIME',
  SignedInTheFuture = 'SIGNED_IN_THE_FUTURE',
  SignerRevoked = 'SIGNER_REVOKED',
  BadSignature = 'BAD_SIGNATURE',
}

export type SignatureCheck = { ok: true; signerSerial: string } | { ok: false; code: SignatureRejectCode; detail: string };

interface Signer {
  /** Its key with the verify options of its algorithm, made once. */
  scheme: SignatureScheme;
  serial: string;
  notBefore: number;
  notAfter: number;
  /** The issuing CA's validity: the signer must be valid under it too. */
  issuerNotBefore: number;
  issuerNotAfter: number;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const MAX_CLOCK_SKEW_MS = 5 * 60_000;
const MAX_CACHED_SIGNERS = 64;

/**
 * Checks signatures of revocation events and snapshot pages: the signer certificate must
 * chain to a trusted root through a trusted issuing CA (RFC 5280 6.1), carry the revocation
 * signer ExtendedKeyUsage (RFC 5280 4.2.1.12), not be a CA, be valid at the signing time
 * (signer and issuer alike), and not be revoked itself. Its key decides the algorithm
 * (RevocationSignatureAlgorithm): RSA of at least 2048 bits PS256, P-256 ES256; a signature
 * naming the other one is refused. A signer certificate is checked once and kept; each message
 * then costs one verification (PS256 with RSA-2048 about a third of ES256).
 */
export class RevocationSignatureVerifier {
  private roots: X509Certificate[] = [];
  private intermediates: X509Certificate[] = [];
  private readonly signers = new Map<string, Signer | { code: SignatureRejectCode; detail: string }>();
  /** The signer of the last message: the common case is the same one again. */
  private last: { b64: string; signer: Signer | { code: SignatureRejectCode; detail: string } } | undefined;

  constructor(
    private readonly now: () => Date,
    /** Whether a serial is in the revoked set: a revoked signer signs nothing any more. */
    private readonly isRevoked: (serialHex: string) => boolean = () => false,
  ) {}

  /**
   * Trust from DER certificates: self-signed CA certificates are the roots (or `pinnedRoots`
   * alone when given), the other CA certificates count when a root signed them.
   */
  setTrust(caCertificates: Buffer[], pinnedRoots?: Buffer[]): void {
    const certs = caCertificates.map((d) => new X509Certificate(d)).filter((c) => c.ca);
    const selfSigned = (c: X509Certificate) => c.checkIssued(c) && c.verify(c.publicKey);
    this.roots = pinnedRoots ? pinnedRoots.map((d) => new X509Certificate(d)) : certs.filter(selfSigned);
    this.intermediates = certs.filter((c) => !selfSigned(c) && this.roots.some((r) => c.checkIssued(r) && c.verify(r.publicKey)));
    this.signers.clear();
    this.last = undefined;
  }

  hasTrust(): boolean {
    return this.intermediates.length > 0;
  }

  verifyEvent(event: RevocationEvent, signature: unknown): SignatureCheck {
    return this.check(signature, (signedAt) => eventSigningInput(event, signedAt));
  }

  verifyPage(page: SnapshotPage): SignatureCheck {
    const { signature, ...body } = page;
    return this.check(signature, (signedAt) => snapshotPageSigningInput(body, signedAt));
  }

  private check(raw: unknown, input: (signedAt: string) => Uint8Array): SignatureCheck {
    if (raw === undefined || raw === null) return fail(SignatureRejectCode.Unsigned, 'the message carries no signature');
    const sig = raw as Partial<RevocationSignature>;
    if (typeof sig !== 'object' || (sig.alg !== 'PS256' && sig.alg !== 'ES256') || typeof sig.signer !== 'string' || typeof sig.value !== 'string' || typeof sig.signedAt !== 'string' || !ISO.test(sig.signedAt)) {
      return fail(SignatureRejectCode.BadSignatureField, 'signature must be {alg: "PS256" or "ES256", signedAt, signer, value}');
    }
    if (!this.hasTrust()) return fail(SignatureRejectCode.NoTrustAnchors, 'no trusted CA certificates yet');
    const signer = this.signer(sig.signer);
    if ('code' in signer) return { ok: false, ...signer };
    const { scheme } = signer;
    // The signer's key names the algorithm: an ES256 claim under an RSA key (or PS256 under P-256) is a malformed field, not a key to try.
    if (sig.alg !== scheme.alg) return fail(SignatureRejectCode.BadSignatureField, `the signature says ${sig.alg}, the signer's key signs ${scheme.alg}`);
    const at = Date.parse(sig.signedAt);
    if (at > this.now().getTime() + MAX_CLOCK_SKEW_MS) return fail(SignatureRejectCode.SignedInTheFuture, `signedAt ${sig.signedAt} is in the future`);
    if (at < signer.notBefore || at > signer.notAfter || at < signer.issuerNotBefore || at > signer.issuerNotAfter) {
      return fail(SignatureRejectCode.SignerNotValidAtSigningTime, `signer ${signer.serial} was not valid at ${sig.signedAt}`);
    }
    if (this.isRevoked(signer.serial)) return fail(SignatureRejectCode.SignerRevoked, `signer ${signer.serial} is revoked`);
    // RFC 7518 3.4 / 3.5: 64 bytes for ES256, the modulus length for PS256. Node's decoder skips what is not base64, so a value with such characters decodes short.
    const value = sig.value.length === scheme.valueChars ? Buffer.from(sig.value, 'base64') : undefined;
    if (value?.length !== scheme.valueBytes) {
      return fail(SignatureRejectCode.BadSignatureField, `the ${sig.alg} value must be ${scheme.valueBytes} bytes in base64 (${scheme.valueChars} characters)`);
    }
    if (!verify('sha256', input(sig.signedAt), scheme.keyInput, value)) return fail(SignatureRejectCode.BadSignature, 'the signature does not verify');
    return { ok: true, signerSerial: signer.serial };
  }

  /**
   * The signer certificate checked once and kept, its KeyObject included, keyed by the whole
   * certificate as sent: another certificate (another key, another serial, one byte changed)
   * is another key and is checked on its own. Every event of the current signer carries the
   * same text, so it is compared with the last one first (no hashing of ~700 characters).
   */
  private signer(b64: string): Signer | { code: SignatureRejectCode; detail: string } {
    if (b64 === this.last?.b64) return this.last.signer;
    let signer = this.signers.get(b64);
    if (!signer) {
      signer = this.checkSigner(b64);
      if (this.signers.size >= MAX_CACHED_SIGNERS) this.signers.delete(this.signers.keys().next().value!);
      this.signers.set(b64, signer);
    }
    this.last = { b64, signer };
    return signer;
  }

  private checkSigner(b64: string): Signer | { code: SignatureRejectCode; detail: string } {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(Buffer.from(b64, 'base64'));
    } catch {
      return { code: SignatureRejectCode.BadSignatureField, detail: 'signer is not a DER certificate' };
    }
    if (cert.ca) return { code: SignatureRejectCode.NotARevocationSigner, detail: 'the signer is a CA certificate' };
    if (!(cert.keyUsage ?? []).includes(REVOCATION_SIGNER_EKU_OID)) {
      return { code: SignatureRejectCode.NotARevocationSigner, detail: 'the signer certificate lacks the revocation signer extended key usage' };
    }
    const issuer = this.intermediates.find((i) => cert.checkIssued(i) && cert.verify(i.publicKey));
    if (!issuer) return { code: SignatureRejectCode.UntrustedSigner, detail: `signer ${cert.serialNumber} does not chain to a trusted CA` };
    const scheme = signatureScheme(cert.publicKey);
    if ('refused' in scheme) return { code: SignatureRejectCode.NotARevocationSigner, detail: `the signer key: ${scheme.refused}` };
    return {
      scheme,
      serial: normalizeSerial(cert.serialNumber) ?? cert.serialNumber.toLowerCase(),
      notBefore: Date.parse(cert.validFrom),
      notAfter: Date.parse(cert.validTo),
      issuerNotBefore: Date.parse(issuer.validFrom),
      issuerNotAfter: Date.parse(issuer.validTo),
    };
  }
}

function fail(code: SignatureRejectCode, detail: string): SignatureCheck {
  return { ok: false, code, detail };
}
