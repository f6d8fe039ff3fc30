import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CertificateSearchReply, CertificateSearchRequest, CertificateStatus, OperatorSubjects } from '@iis/contracts';
import { RpcClient } from '@iis/messaging';
import { RPC } from '@iis/runtime';
import { RequirePermission } from '../auth/require-permission.decorator';
import { oneInt, oneText, onlyKeys } from '../common/query-params';

class CertificateItemDto {
  @ApiProperty() serial: string;
  @ApiProperty() issuerId: string;
  @ApiProperty() profile: string;
  @ApiProperty({ nullable: true, type: String }) deviceId: string | null;
  @ApiProperty({ nullable: true, type: String }) iccid: string | null;
  @ApiProperty() subject: string;
  @ApiProperty({ format: 'date-time' }) notBefore: string;
  @ApiProperty({ format: 'date-time' }) notAfter: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) revokedAt: string | null;
  @ApiProperty({ enum: ['valid', 'expired', 'revoked'] }) status: CertificateStatus;
  @ApiProperty({ nullable: true, type: String, description: 'the attestation result the issuance rested on' }) attestationResultId: string | null;
}

class CertificatePageDto {
  @ApiProperty({ type: [CertificateItemDto] }) certificates: CertificateItemDto[];
  @ApiProperty({ nullable: true, type: String, description: 'pass as cursor for the next page; null on the last' }) nextCursor: string | null;
}

const FILTERS = ['deviceId', 'iccid', 'serial', 'status', 'expiresAfter', 'expiresBefore', 'cursor', 'limit'] as const;

/** Certificate search: by device, ICCID, serial, status and expiry window, in keyset pages. */
@ApiTags('certificates')
@Controller('api/v1/certificates')
@RequirePermission('certificates:read')
export class CertificatesController {
  constructor(@Inject(RPC) private readonly rpc: RpcClient) {}

  @Get()
  @ApiQuery({ name: 'deviceId', required: false, description: 'device id (UUID)' })
  @ApiQuery({ name: 'iccid', required: false })
  @ApiQuery({ name: 'serial', required: false, description: 'hexadecimal' })
  @ApiQuery({ name: 'status', required: false, enum: ['valid', 'expired', 'revoked'] })
  @ApiQuery({ name: 'expiresAfter', required: false, description: 'ISO 8601, inclusive' })
  @ApiQuery({ name: 'expiresBefore', required: false, description: 'ISO 8601, exclusive' })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  @ApiQuery({ name: 'limit', required: false, description: '1 to 1000, default 100' })
  @ApiOkResponse({ type: CertificatePageDto })
  list(@Query() query: Record<string, unknown>): Promise<CertificateSearchReply> {
    onlyKeys(query, [...FILTERS]);
    const req: CertificateSearchRequest = {
      deviceId: oneText(query, 'deviceId'),
      iccid: oneText(query, 'iccid'),
      serial: oneText(query, 'serial'),
      status: oneText(query, 'status') as CertificateStatus | undefined,
      expiresAfter: oneText(query, 'expiresAfter'),
      expiresBefore: oneText(query, 'expiresBefore'),
      cursor: oneText(query, 'cursor'),
      limit: oneInt(query, 'limit', 1, 1000),
    };
    return this.rpc.request<CertificateSearchRequest, CertificateSearchReply>(OperatorSubjects.ca.searchCertificates, req);
  }
}
