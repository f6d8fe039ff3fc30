// Framework-free policy evaluation: used by the policy service and by gateway agents at the edge.
export * from './facts';
export * from './policy-document';
export * from './policy.schema';
export * from './validate';
export * from './compile';
export * from './evaluate';
export * from './hysteresis';
export * from './default-policy';
export * from './bundle';
export * from './decision-cache';
