import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CertificateTimelineReply, CertificateTimelineRequest, ConsoleSubjects } from '@iis/contracts';
import { RpcClient } from '@iis/messaging';
import { RPC } from '@iis/runtime';
import { RequirePermission } from '../auth/require-permission.decorator';
import { oneInt, onlyKeys } from '../common/query-params';

class CertificateTimelineDto implements CertificateTimelineReply {
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty() bucketSeconds: number;
  @ApiProperty({ type: [Number], description: 'issued per bucket, oldest first; the last bucket ends at `at`' }) issued: number[];
  @ApiProperty({ type: [Number], description: 'valid certificates expiring per bucket, soonest first; the first starts at `at`' }) expiring: number[];
}

/** Certificates issued and expiring over time (the console's chart). */
@ApiTags('certificates')
@Controller('api/v1/certificates/timeline')
@RequirePermission('certificates:read')
export class CertificateTimelineController {
  constructor(@Inject(RPC) private readonly rpc: RpcClient) {}

  @Get()
  @ApiQuery({ name: 'bucketSeconds', required: false, description: '60 to 86400, default 3600' })
  @ApiQuery({ name: 'buckets', required: false, description: 'on each side of now, 1 to 168, default 24' })
  @ApiOkResponse({ type: CertificateTimelineDto })
  timeline(@Query() query: Record<string, unknown>): Promise<CertificateTimelineReply> {
    onlyKeys(query, ['bucketSeconds', 'buckets']);
    return this.rpc.request<CertificateTimelineRequest, CertificateTimelineReply>(ConsoleSubjects.ca.certificateTimeline, {
      bucketSeconds: oneInt(query, 'bucketSeconds', 60, 86400) ?? 3600,
      buckets: oneInt(query, 'buckets', 1, 168) ?? 24,
    });
  }
}
