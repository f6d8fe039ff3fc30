/**
 * CA contracts added by the CA issue: profiles beyond the skeleton's, OCSP/CRL URLs and the
 * operator subjects for the hierarchy. Existing contracts (Subjects.ca.*) are unchanged.
 */

/** Every profile the CA knows; `CertificateProfile` (device | server) is the subset EST uses. */
export type CaProfileName = 'device' | 'server' | 'operator' | 'rev-signer';

export const CaSubjects = {
  /** Request/reply: the hierarchy as the CA sees it (issuers, algorithms, key protection, validity). */
  hierarchy: 'iis.v1.ca.hierarchy.describe',
  /** Request/reply: create a new issuing CA under the root and make it active; the old one keeps answering. */
  rotate: 'iis.v1.ca.hierarchy.rotate',
  /** Event (no reply, every instance): the hierarchy changed in the database; reload it. */
  changed: 'iis.v1.ca.hierarchy.changed',
  /**
   * Request/reply: a revocation-signer certificate (issue 5), only on this subject so that a
   * deployment can allow it to the revocation service's NATS user alone; Subjects.ca.issue refuses the profile.
   */
  issueRevocationSigner: 'iis.v1.ca.revocation-signer.issue',
} as const;

export interface IssueRevocationSignerRequest {
  /** base64 DER PKCS#10 with a P-256 key. */
  csr: string;
  ttlSeconds: number;
  /** Which revocation service instance asks; it becomes the CN. */
  instance: string;
}

export interface CaIssuerDescription {
  id: string;
  kind: 'root' | 'issuing';
  parentId: string | null;
  keyAlgorithm: string;
  /** 'pbes2' (encrypted PKCS#8 in the database), 'pkcs11', or 'offline' (no key in the system). */
  keyProtection: 'pbes2' | 'pkcs11' | 'offline';
  notBefore: string;
  notAfter: string;
  retiredAt: string | null;
  active: boolean;
  crlUrl?: string;
  deltaCrlUrl?: string;
  ocspUrl?: string;
}

export interface CaHierarchyReply {
  issuers: CaIssuerDescription[];
}

export interface RotateIssuerRequest {
  /** Key algorithm of the new issuing CA; the active one's when absent. */
  keyAlgorithm?: 'P-256' | 'P-384' | 'Ed25519' | 'RSA-2048' | 'RSA-3072';
  /** Who asked, for the log. */
  actor: string;
}

export interface RotateIssuerReply {
  newIssuerId: string;
  previousIssuerId: string;
}

/** `Subjects.ca.issue` as the CA accepts it: any CA profile, including `operator`. */
export type CaIssueRequest = Omit<import('./messages').IssueCertificateRequest, 'profile'> & { profile: CaProfileName };
