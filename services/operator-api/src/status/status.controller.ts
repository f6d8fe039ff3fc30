import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { AgentStatus, CertificateStatsReply } from '@iis/contracts';
import { RequirePermission } from '../auth/require-permission.decorator';
import { FleetStatus, FleetStatusService } from './fleet-status.service';

/** A gateway agent as its heartbeats report it (the same as GET /revocations/agents). */
export class AgentStatusDto implements AgentStatus {
  @ApiProperty({ description: 'the agent\'s name' }) name: string;
  @ApiProperty({ description: 'last revocation stream sequence it applied' }) lastStreamSequence: number;
  @ApiProperty({ description: 'revoked serials it holds' }) revokedCount: number;
  @ApiProperty({ description: 'stream messages it rejected (unsigned, forged, replayed, malformed)' }) rejected: number;
  @ApiProperty({ format: 'date-time', description: 'its last heartbeat' }) lastSeenAt: string;
  @ApiProperty({ description: 'stream events it has not applied yet' }) lag: number;
  @ApiProperty({ description: 'no heartbeat for longer than the stale threshold' }) stale: boolean;
}

export class StatusDto implements FleetStatus {
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ type: Object, nullable: true, description: 'device count per status' }) devicesByStatus: Record<string, number> | null;
  @ApiProperty({ type: Object, nullable: true, description: 'SIM count per status' }) simsByStatus: Record<string, number> | null;
  @ApiProperty({ nullable: true, type: Object, description: 'valid certificates, those expiring within expiringWithinSeconds, revoked in the last day' })
  certificates: (CertificateStatsReply & { expiringWithinSeconds: number }) | null;
  @ApiProperty({ nullable: true, type: Number }) revocationStreamLastSequence: number | null;
  @ApiProperty({ type: [AgentStatusDto], nullable: true }) agents: AgentStatusDto[] | null;
  @ApiProperty({ type: [String], description: 'parts that could not be fetched (service down)' }) unavailable: string[];
}

/** The fleet at a glance, for `idctl status`. */
@ApiTags('status')
@Controller('api/v1/status')
@RequirePermission('status:read')
export class StatusController {
  constructor(private readonly fleet: FleetStatusService) {}

  @Get()
  @ApiOkResponse({ type: StatusDto })
  status(): Promise<StatusDto> {
    return this.fleet.status();
  }
}
