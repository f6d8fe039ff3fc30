// NATS only, no NestJS: usable by the gateway agent, the CLI and tests as well as services.
export * from './rpc-client';
export * from './nats-connection';
export * from './revocation-stream';
export * from './revocation-publish';
export * from './correlation';
export * from './jetstream-replicas';
export * from './leader-lease';
export * from './kv-lease-store';
export * from './outbox-publisher';
