import { CaCertsReply } from '@iis/contracts';
import { bytes, toPem, x509 } from '@iis/pki';
import { isIssuerId } from './issuer-id';

/** Why a CRL from the CA was not written. */
export enum CrlCheckCode {
  NotACrl = 'NOT_A_CRL',
  UnknownIssuer = 'UNKNOWN_ISSUER',
  BadSignature = 'BAD_SIGNATURE',
}

export class CrlCheckError extends Error {
  constructor(
    readonly code: CrlCheckCode,
    message: string,
  ) {
    super(message);
    this.name = 'CrlCheckError';
  }
}

/** A CRL that parsed and whose signature verified with a certificate of the chain. */
export interface CheckedCrl {
  entries: number;
  thisUpdate: Date;
  nextUpdate: Date | undefined;
}

/**
 * The CA certificates from `Subjects.ca.caCerts` (issuing CA(s) first, root last): the PEM
 * bundle for the broker, the issuers whose CRLs the agent keeps, and CRL signature checks.
 */
export class CaChain {
  private constructor(
    readonly certificates: x509.X509Certificate[],
    readonly ders: Buffer[],
    private readonly ids: string[],
    private readonly rootId?: string,
  ) {}

  static fromReply(reply: CaCertsReply): CaChain {
    if (!reply || !Array.isArray(reply.certificates) || reply.certificates.length === 0) {
      throw new Error('the CA sent no certificates');
    }
    if (!Array.isArray(reply.issuerIds) || reply.issuerIds.some((id) => typeof id !== 'string')) {
      throw new Error('the CA sent no issuer ids');
    }
    if (reply.rootId !== undefined && !isIssuerId(reply.rootId)) throw new Error('the CA sent a malformed root id');
    const ders = reply.certificates.map((b64) => Buffer.from(String(b64), 'base64'));
    return new CaChain(ders.map((der) => new x509.X509Certificate(bytes(der))), ders, reply.issuerIds, reply.rootId);
  }

  pem(): string {
    return this.ders.map((der) => toPem(der, 'CERTIFICATE')).join('');
  }

  /** Ids of the issuing CAs, the ones the CA answers `Subjects.ca.crl` for (a root has no CRL there). */
  issuerIds(): string[] {
    return [...this.ids];
  }

  /**
   * Every CA whose CRL a broker needs: the issuing CAs and the root (its ARL), since nginx and
   * `openssl verify -crl_check_all` check each certificate of the chain.
   */
  crlIssuerIds(): string[] {
    return this.rootId ? [...this.ids, this.rootId] : [...this.ids];
  }

  /** RFC 5280 6.3.3 (f): the CRL must verify with the key of a CA we trust, named as its issuer. */
  async check(crlPem: string): Promise<CheckedCrl> {
    let crl: x509.X509Crl;
    try {
      crl = new x509.X509Crl(crlPem);
    } catch {
      throw new CrlCheckError(CrlCheckCode.NotACrl, 'the reply does not hold a PEM X.509 CRL');
    }
    const signers = this.certificates.filter((c) => c.subject === crl.issuer);
    if (signers.length === 0) throw new CrlCheckError(CrlCheckCode.UnknownIssuer, `CRL issuer "${crl.issuer}" is not in the CA chain`);
    for (const signer of signers) {
      if (await crl.verify({ publicKey: signer }).catch(() => false)) {
        return { entries: crl.entries.length, thisUpdate: crl.thisUpdate, nextUpdate: crl.nextUpdate };
      }
    }
    throw new CrlCheckError(CrlCheckCode.BadSignature, `CRL signature does not verify with "${crl.issuer}"`);
  }
}
