import { CaInitial1732400000000 } from './1732400000000-ca-initial';
import { CaCertificateSearch1732500000000 } from './1732500000000-ca-certificate-search';
import { CaKeyReference1764000000000 } from './1764000000000-ca-key-reference';
import { CaDropRedundantIndexes1764000000100 } from './1764000000100-ca-drop-redundant-indexes';
import { CaAuthorityCrl1765000000500 } from './1765000000500-ca-authority-crl';
import { CaIdempotencyKey1765000000600 } from './1765000000600-ca-idempotency-key';
import { CaAttestationResult1765000000601 } from './1765000000601-ca-attestation-result';

/** The CA's migrations in the order they run; a new one is a new file appended here. */
export const CA_MIGRATIONS = [CaInitial1732400000000, CaCertificateSearch1732500000000, CaKeyReference1764000000000, CaDropRedundantIndexes1764000000100, CaAuthorityCrl1765000000500, CaIdempotencyKey1765000000600, CaAttestationResult1765000000601];
