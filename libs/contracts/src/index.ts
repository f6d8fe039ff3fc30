export * from './subjects';
export * from './errors';
export * from './messages';
export * from './revocation-commands';
export * from './policy-engine';
export * from './operator';
export * from './ca';
export * from './onboarding-registry';
