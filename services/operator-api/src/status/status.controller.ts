import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { CertificateStatsReply } from '@iis/contracts';
import { RequirePermission } from '../auth/require-permission.decorator';
import { FleetStatus, FleetStatusService } from './fleet-status.service';

export class AgentLagDto {
  @ApiProperty({ description: 'the JetStream consumer following the revocation stream' }) consumer: string;
  @ApiProperty({ description: 'events it has not yet received' }) lag: number;
  @ApiProperty({ description: 'last stream sequence delivered to it' }) deliveredSequence: number;
  @ApiProperty({ nullable: true, type: String }) lastActive: string | null;
}

export class StatusDto implements FleetStatus {
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ type: Object, nullable: true, description: 'device count per status' }) devicesByStatus: Record<string, number> | null;
  @ApiProperty({ type: Object, nullable: true, description: 'SIM count per status' }) simsByStatus: Record<string, number> | null;
  @ApiProperty({ nullable: true, type: Object, description: 'valid certificates, those expiring within expiringWithinSeconds, revoked in the last day' })
  certificates: (CertificateStatsReply & { expiringWithinSeconds: number }) | null;
  @ApiProperty({ nullable: true, type: Number }) revocationStreamLastSequence: number | null;
  @ApiProperty({ type: [AgentLagDto], nullable: true }) agents: AgentLagDto[] | null;
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
