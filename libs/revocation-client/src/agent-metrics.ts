import type { AgentStats } from './agent-stats';

/**
 * The agent's stats in the Prometheus text format (0.0.4), for a scraper on the gateway. Plain
 * text rather than prom-client: the agent also runs inside Node brokers that keep their own
 * registry, and seven numbers need no library.
 */
export function agentMetricsText(s: AgentStats): string {
  const rows: Array<[string, 'counter' | 'gauge', string, number]> = [
    ['iis_agent_revocations_applied_total', 'counter', 'Revocations applied by this process.', s.applied],
    ['iis_agent_events_rejected_total', 'counter', 'Stream messages rejected: malformed, unsigned, forged or replayed.', s.rejected],
    ['iis_agent_resyncs_total', 'counter', 'Times the agent took the signed snapshot over.', s.resyncs],
    ['iis_agent_revoked_serials', 'gauge', 'Revoked, unexpired serials held.', s.revokedCount],
    ['iis_agent_log_sequence', 'gauge', 'The revocation log sequence the revoked set is current to.', s.lastLogSequence],
    ['iis_agent_stream_sequence', 'gauge', 'The last stream sequence read.', s.lastStreamSequence],
    ['iis_agent_nats_connected', 'gauge', '1 while the NATS connection is up.', s.connected ? 1 : 0],
  ];
  return rows.map(([name, type, help, value]) => `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n${name} ${value}\n`).join('');
}
