/** Subjects and lease keys for work one instance of a service does on behalf of all (leader election). */
export const Leadership = {
  /** Lease key in the leases KV bucket: the revocation instance that relays the outbox. */
  revocationOutboxLease: 'revocation-outbox',
  /** A follower that committed revocations asks the relaying leader to publish now (request/reply). */
  revocationOutboxKick: 'iis.v1.revocation.outbox.kick',
} as const;
