/** What the agent reports about itself (`stats`, `GET /status`). */
export interface AgentStats {
  /** Revocations applied by this process (a serial already held does not count). */
  applied: number;
  /** Stream messages skipped because they are not valid revocation events. */
  rejected: number;
  /** The last stream sequence read, saved with the revoked set. */
  lastStreamSequence: number;
  revokedCount: number;
  /** Whether the NATS connection is up right now. */
  connected: boolean;
}
