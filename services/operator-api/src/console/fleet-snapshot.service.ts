import { Inject, Injectable } from '@nestjs/common';
import { Clock, CLOCK } from '@iis/config';
import { OperatorSubjects, RevocationListItem, RevocationListReply, RevocationListRequest } from '@iis/contracts';
import { RpcClient } from '@iis/messaging';
import { RPC } from '@iis/runtime';
import { FleetStatus, FleetStatusService } from '../status/fleet-status.service';

export interface FleetSnapshot {
  /** The fleet at a glance, gateway agents by their heartbeats included. */
  status: FleetStatus;
  /** Revocations of the last 24 h, newest first, at most 100 (null: not available). */
  revocations: RevocationListItem[] | null;
}

/** A snapshot younger than this is shared: every open console costs the services one look per second, not one each. */
const SHARE_MS = 900;

/** What the console's overview shows, in one piece: fetched for each tick of the live stream. */
@Injectable()
export class FleetSnapshotService {
  private shared?: { at: number; snapshot: Promise<FleetSnapshot> };

  constructor(
    private readonly fleet: FleetStatusService,
    @Inject(RPC) private readonly rpc: RpcClient,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  snapshot(): Promise<FleetSnapshot> {
    const now = this.clock.now().getTime();
    if (!this.shared || now - this.shared.at >= SHARE_MS) {
      const snapshot = this.fresh();
      this.shared = { at: now, snapshot };
      // A failed look is not shared: the next tick tries again.
      snapshot.catch(() => {
        if (this.shared?.snapshot === snapshot) this.shared = undefined;
      });
    }
    return this.shared.snapshot;
  }

  private async fresh(): Promise<FleetSnapshot> {
    const since = new Date(this.clock.now().getTime() - 86_400_000).toISOString();
    const [status, revocations] = await Promise.all([this.fleet.status(), this.latestRevocations(since).catch(() => null)]);
    return { status, revocations };
  }

  /** The newest page of the log, read newest first: one query however busy the day was. */
  private async latestRevocations(since: string): Promise<RevocationListItem[]> {
    const r = await this.rpc.request<RevocationListRequest, RevocationListReply>(OperatorSubjects.revocation.listRevocations, { since, order: 'newest', limit: 100 }, 5000);
    return r.revocations;
  }
}
