import type { NatsConnection } from '@nats-io/transport-node';
import { AgentHeartbeat, AgentSubjects } from '@iis/contracts';

const EVERY_MS = 5_000;

/**
 * Tells the revocation service what this agent has applied, so `idctl revocations status`
 * shows its lag. Sent in the NestJS NATS event envelope the service listens with.
 */
export class Heartbeat {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly nc: NatsConnection,
    private readonly state: () => Omit<AgentHeartbeat, 'at'>,
    private readonly now: () => Date,
  ) {}

  start(): void {
    this.send();
    this.timer = setInterval(() => this.send(), EVERY_MS);
    this.timer.unref();
  }

  /** Sends one now (after applying events) besides the periodic ones. */
  send(): void {
    if (this.nc.isClosed()) return;
    const data: AgentHeartbeat = { ...this.state(), at: this.now().toISOString() };
    try {
      this.nc.publish(AgentSubjects.heartbeat, JSON.stringify({ pattern: AgentSubjects.heartbeat, data }));
    } catch {
      // Disconnected: the next one goes out after reconnecting.
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
