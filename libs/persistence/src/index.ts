export * from './column-types';
export * from './data-source';
