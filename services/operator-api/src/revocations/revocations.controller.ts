import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiQuery, ApiTags } from '@nestjs/swagger';
import { OperatorSubjects, RevocationListReply, RevocationListRequest } from '@iis/contracts';
import { RpcClient } from '@iis/messaging';
import { RPC } from '@iis/runtime';
import { RequirePermission } from '../auth/require-permission.decorator';
import { oneInt, oneText, onlyKeys } from '../common/query-params';

class RevocationDto {
  @ApiProperty({ description: 'revocation log sequence' }) sequence: number;
  @ApiProperty() serial: string;
  @ApiProperty() issuerId: string;
  @ApiProperty() reason: string;
  @ApiProperty({ format: 'date-time' }) revokedAt: string;
  @ApiProperty({ nullable: true, type: String }) deviceId: string | null;
  @ApiProperty({ nullable: true, type: String }) iccid: string | null;
  @ApiProperty() cause: string;
  @ApiProperty() actor: string;
}

class RevocationPageDto {
  @ApiProperty({ type: [RevocationDto] }) revocations: RevocationDto[];
  @ApiProperty({ nullable: true, type: Number }) nextCursor: number | null;
}

/** The revocation log, in sequence order (oldest or newest first). */
@ApiTags('revocations')
@Controller('api/v1/revocations')
@RequirePermission('revocations:read')
export class RevocationsController {
  constructor(@Inject(RPC) private readonly rpc: RpcClient) {}

  @Get()
  @ApiQuery({ name: 'since', required: false, description: 'ISO 8601' })
  @ApiQuery({ name: 'deviceId', required: false })
  @ApiQuery({ name: 'iccid', required: false })
  @ApiQuery({ name: 'order', required: false, enum: ['oldest', 'newest'], description: 'oldest (default) or newest first' })
  @ApiQuery({ name: 'after', required: false, description: 'order=oldest: nextCursor of the previous page' })
  @ApiQuery({ name: 'before', required: false, description: 'order=newest: nextCursor of the previous page' })
  @ApiQuery({ name: 'limit', required: false, description: '1 to 1000, default 100' })
  @ApiOkResponse({ type: RevocationPageDto })
  list(@Query() query: Record<string, unknown>): Promise<RevocationListReply> {
    onlyKeys(query, ['since', 'deviceId', 'iccid', 'order', 'after', 'before', 'limit']);
    return this.rpc.request<RevocationListRequest, RevocationListReply>(OperatorSubjects.revocation.listRevocations, {
      since: oneText(query, 'since'),
      deviceId: oneText(query, 'deviceId'),
      iccid: oneText(query, 'iccid'),
      // The revocation service checks it (oldest or newest) and answers 400 otherwise.
      order: oneText(query, 'order') as RevocationListRequest['order'],
      after: oneInt(query, 'after', 0, Number.MAX_SAFE_INTEGER),
      before: oneInt(query, 'before', 0, Number.MAX_SAFE_INTEGER),
      limit: oneInt(query, 'limit', 1, 1000),
    });
  }
}
