/** Why the agent refused to start or to read something; callers map the code, never the message. */
export enum AgentErrorCode {
  /** state.json exists but cannot be read back as a state file. */
  StateCorrupt = 'STATE_CORRUPT',
  /** The first connection to NATS failed (later outages are ridden out by reconnecting). */
  NatsConnect = 'NATS_CONNECT',
  /** The local check port could not be bound. */
  HttpListen = 'HTTP_LISTEN',
}

export class AgentError extends Error {
  constructor(
    readonly code: AgentErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AgentError';
  }
}
