export const RPC = Symbol('RpcClient');
export const NATS_CONNECTION = Symbol('NatsConnection');
