/** Injection tokens of the onboarding service. */
export const ONBOARDING_CONFIG = Symbol('OnboardingConfig');
export const RPC = Symbol('RpcClient');
export const NATS_CONNECTION = Symbol('NatsConnection');
