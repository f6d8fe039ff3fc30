import * as fs from 'node:fs';
import * as path from 'node:path';
import * as pkijs from 'pkijs';
import { bytes, x509 } from './crypto-provider';

/**
 * Trust anchors read from a folder of PEM files, and RFC 5280 chain validation to them, Nest-free:
 * manufacturer (IEEE 802.1AR IDevID) roots in onboarding, TPM vendor CAs in attestation.
 */
export class TrustAnchors {
  private constructor(
    readonly roots: x509.X509Certificate[],
    /** What the anchors are, in messages: "manufacturer roots", "TPM vendor CAs". */
    readonly kind: string,
    /** CRLs (DER) of the anchors or their intermediates: where one is given, it is checked. */
    readonly crls: Buffer[] = [],
  ) {}

  static of(roots: x509.X509Certificate[], kind = 'manufacturer roots', crls: Buffer[] = []): TrustAnchors {
    return new TrustAnchors(roots, kind, crls);
  }

  /** Every certificate in every *.pem / *.crt file of `dir`, and every CRL in *.crl (PEM or DER); a missing folder means none. */
  static fromDir(dir: string, kind = 'manufacturer roots'): TrustAnchors {
    if (!fs.existsSync(dir)) return new TrustAnchors([], kind);
    const roots: x509.X509Certificate[] = [];
    const crls: Buffer[] = [];
    for (const f of fs.readdirSync(dir).sort()) {
      if (/\.crl$/i.test(f)) {
        crls.push(crlDer(path.join(dir, f)));
        continue;
      }
      if (!/\.(pem|crt)$/i.test(f)) continue;
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      for (const m of text.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)) {
        try {
          roots.push(new x509.X509Certificate(m[0]));
        } catch {
          throw new Error(`${path.join(dir, f)}: not a PEM certificate`);
        }
      }
    }
    return new TrustAnchors(roots, kind, crls);
  }

  /**
   * Validates leaf + presented intermediates up to one of the roots at `now` (RFC 5280 path
   * validation by pkijs), refusing a certificate listed on a configured CRL (RFC 5280 6.3). Returns the root's subject, or null with the reason.
   */
  async validate(leafDer: Buffer, intermediates: Buffer[], now: Date): Promise<{ root: string | null; reason: string }> {
    if (this.roots.length === 0) return { root: null, reason: `no ${this.kind} are configured` };
    try {
      const toPkijs = (der: Uint8Array) => pkijs.Certificate.fromBER(bytes(der));
      const leaf = toPkijs(Buffer.from(leafDer));
      const engine = new pkijs.CertificateChainValidationEngine({
        trustedCerts: this.roots.map((r) => toPkijs(new Uint8Array(r.rawData))),
        certs: [leaf, ...intermediates.map((d) => toPkijs(d))],
        checkDate: now,
        crls: this.crls.map((d) => pkijs.CertificateRevocationList.fromBER(bytes(d))),
      });
      // Where no CRL is given for an issuer, revocation is not checked (CRLs "where given").
      const result = await engine.verify({ passedWhenNotRevValues: true });
      if (!result.result) return { root: null, reason: result.resultMessage || `the certificate does not chain to one of the ${this.kind}` };
      const chainRoot = result.certificatePath?.[result.certificatePath.length - 1];
      const rootDer = chainRoot ? Buffer.from(chainRoot.toSchema().toBER(false)) : null;
      const root = this.roots.find((r) => rootDer && Buffer.from(r.rawData).equals(rootDer));
      return { root: root?.subject ?? 'trust anchor', reason: '' };
    } catch (e) {
      return { root: null, reason: `the client certificate could not be validated: ${(e as Error).message}` };
    }
  }
}

/** A CRL file as PEM (-----BEGIN X509 CRL-----) or DER. */
function crlDer(file: string): Buffer {
  const raw = fs.readFileSync(file);
  const pem = /-----BEGIN X509 CRL-----([\s\S]+?)-----END X509 CRL-----/.exec(raw.toString('latin1'));
  const der = pem ? Buffer.from(pem[1].replace(/\s+/g, ''), 'base64') : raw;
  try {
    pkijs.CertificateRevocationList.fromBER(bytes(der));
  } catch {
    throw new Error(`${file}: not a CRL`);
  }
  return der;
}
