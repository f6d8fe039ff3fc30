// How a NestJS service process starts and maps errors; services only.
export * from './bootstrap-service';
export * from './domain-exception.filter';
export * from './http-exception.filter';
export * from './http-error-answer';
export * from './rpc-exception.filter';
export * from './nats-options';
export * from './nats-providers';
export * from './observability';
export * from './database-unavailable';
