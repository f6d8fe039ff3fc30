export const OPERATOR_API_CONFIG = Symbol('OperatorApiConfig');
export const RPC = Symbol('RpcClient');
export const NATS_CONNECTION = Symbol('NatsConnection');
