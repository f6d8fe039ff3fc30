export const OPERATOR_API_CONFIG = Symbol('OperatorApiConfig');
