export const RESULT_SIGNER = Symbol('ResultSigner');
