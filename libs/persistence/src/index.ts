export * from './column-types';
export * from './data-source';
export * from './outbox-row';
export * from './batch-writer';
export * from './multi-row-insert';
export * from './entity-select';
export type { PropertyValue } from './entity-sql';
export * from './entity-update';
