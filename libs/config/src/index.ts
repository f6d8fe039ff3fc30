export * from './env-reader';
export * from './suite-config';
