export * from './subjects';
export * from './errors';
export * from './messages';
export * from './onboarding-registry';
