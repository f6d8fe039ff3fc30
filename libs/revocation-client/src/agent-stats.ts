/** What the agent reports about itself (`stats`, `GET /status`). */
export interface AgentStats {
  /** Revocations applied by this process (a serial already held does not count). */
  applied: number;
  /** Stream messages skipped: malformed, unsigned, forged (signature or signer) or replayed events. */
  rejected: number;
  /** The last stream sequence read, saved with the revoked set. */
  lastStreamSequence: number;
  revokedCount: number;
  /** Whether the NATS connection is up right now. */
  connected: boolean;
  /** The revocation log sequence the set is current to. */
  lastLogSequence: number;
  /** Times the agent took the signed snapshot over (new agent, lost stream messages, a gap). */
  resyncs: number;
}
