export { runAgent } from './agent';
export type { AgentOptions, RunningAgent } from './agent';
export type { AgentStats } from './agent-stats';
export { AgentError, AgentErrorCode } from './agent.errors';
export { EventRejectCode, validateRevocationEvent } from './event-validation';
export type { EventValidation } from './event-validation';
export { normalizeSerial } from './serial-number';
export { PolicyBundleFollower, POLICY_BUNDLE_FILE } from './policy-bundle-follower';
export type { EdgeDecision, PolicyBundleStats } from './policy-bundle-follower';
