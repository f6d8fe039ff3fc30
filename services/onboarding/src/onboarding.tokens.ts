/** Injection tokens of the onboarding service. */
export const ONBOARDING_CONFIG = Symbol('OnboardingConfig');
