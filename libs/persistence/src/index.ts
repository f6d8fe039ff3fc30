export * from './column-types';
export * from './data-source';
export * from './outbox-row';
