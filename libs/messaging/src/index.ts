export * from './rpc-client';
export * from './rpc-exception.filter';
export * from './http-exception.filter';
export * from './nats-options';
export * from './nats-connection';
export * from './revocation-stream';
export * from './domain-exception.filter';
export * from './nats-providers';
