import { Controller, Req, Sse } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Observable } from 'rxjs';
import { OperatorTokensService } from '../auth/operator-tokens.service';
import { RequirePermission } from '../auth/require-permission.decorator';
import type { AuthenticatedRequest } from '../auth/token.guard';
import { FleetSnapshotService } from './fleet-snapshot.service';
import { liveFleet } from './live-fleet';

/** How often the stream looks; an event goes out only when something changed (or as a keep-alive). */
const TICK_MS = 1000;
const KEEPALIVE_MS = 15_000;

interface StreamEvent {
  type: string;
  data: unknown;
}

/**
 * The console's overview, live: server-sent events (text/event-stream) with the fleet snapshot
 * each time it changes. The credential is checked again on every tick, so a token that expires
 * or is revoked ends the stream with a `session-expired` event.
 */
@ApiTags('status')
@Controller('api/v1/status')
export class FleetStreamController {
  constructor(
    private readonly snapshots: FleetSnapshotService,
    private readonly tokens: OperatorTokensService,
  ) {}

  @Sse('stream')
  @RequirePermission('status:read')
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'events `fleet` (the snapshot, JSON) when it changes; `session-expired` when the credential no longer holds', content: { 'text/event-stream': { schema: { type: 'string' } } } })
  stream(@Req() req: AuthenticatedRequest): Observable<StreamEvent> {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
    return liveFleet({
      snapshot: () => this.snapshots.snapshot(),
      // mTLS callers have no token: their certificate was checked when the stream opened.
      stillValid: async () => token === undefined || (await this.tokens.authenticate(token)) !== null,
      tickMs: TICK_MS,
      keepAliveMs: KEEPALIVE_MS,
    });
  }
}
