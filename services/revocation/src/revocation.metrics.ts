import { Counter, Gauge } from 'prom-client';

/** iis_revocations_total: certificates revoked (committed with their outbox event). */
export const revocationsCommitted = new Counter({ name: 'iis_revocations_total', help: 'Certificates revoked (committed to the revocation log)' });

let backlogSource: (() => Promise<number>) | undefined;
let lagSource: (() => Promise<{ name: string; lag: number }[]>) | undefined;

/** The relay tells the gauge how to count what is still unpublished. */
export function measureOutboxBacklogWith(source: () => Promise<number>): void {
  backlogSource = source;
}

/** The agents handler tells the gauge how to compute each agent's lag. */
export function measureAgentLagWith(source: () => Promise<{ name: string; lag: number }[]>): void {
  lagSource = source;
}

/** iis_revocation_outbox_backlog: committed events not yet published to JetStream (read at scrape). */
export const outboxBacklog = new Gauge({
  name: 'iis_revocation_outbox_backlog',
  help: 'Revocation events committed but not yet published to JetStream',
  async collect() {
    if (backlogSource) this.set(await backlogSource());
  },
});

/** iis_revocation_agent_lag{agent}: stream sequence minus the last one each agent reported applying. */
export const agentLag = new Gauge({
  name: 'iis_revocation_agent_lag',
  help: 'Revocation events each gateway agent has not applied yet (from its last heartbeat)',
  labelNames: ['agent'],
  async collect() {
    if (!lagSource) return;
    this.reset();
    for (const a of await lagSource()) this.set({ agent: a.name }, a.lag);
  },
});
