/**
 * Replicas of every stream and KV bucket this process creates: 1 on one machine, 3 in a
 * cluster. The runtime sets it from JETSTREAM_REPLICAS at start; creators read it here.
 */
let replicas = 1;

export function setJetStreamReplicas(n: number): void {
  replicas = n;
}

export function jetStreamReplicas(): number {
  return replicas;
}
