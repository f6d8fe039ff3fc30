/** Injection tokens of the CA service. */
export const CA_CONFIG = Symbol('CaConfig');
