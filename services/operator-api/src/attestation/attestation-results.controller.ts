import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiExtraModels, ApiNotFoundResponse, ApiOkResponse, ApiParam, ApiProperty, ApiQuery, ApiTags, getSchemaPath } from '@nestjs/swagger';
import {
  AttestationResultView,
  DeviceAttestationResultsReply,
  DeviceAttestationResultsRequest,
  DeviceView,
  DomainError,
  ErrorCode,
  GetAttestationResultRequest,
  GetDeviceRequest,
  Subjects,
} from '@iis/contracts';
import { RpcClient } from '@iis/messaging';
import { RPC } from '@iis/runtime';
import { RequirePermission } from '../auth/require-permission.decorator';
import { oneInt, oneText, onlyKeys } from '../common/query-params';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

class AttestationResultDto implements AttestationResultView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) deviceId: string;
  @ApiProperty({ enum: ['tpm2-quote', 'idevid', 'sim'] }) evidenceType: AttestationResultView['evidenceType'];
  @ApiProperty({ enum: ['pass', 'fail'] }) verdict: AttestationResultView['verdict'];
  @ApiProperty({ type: 'object', additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] }, description: 'what the evidence proved (tpm.*, idevid.*, sim.*, challenge.id)' })
  claims: Record<string, string | number | boolean>;
  @ApiProperty({ nullable: true, type: String, example: 'PCR_MISMATCH', description: 'why the evidence failed; null on a pass' }) reasonCode: string | null;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
  @ApiProperty({ format: 'date-time' }) issuedAt: string;
  @ApiProperty({ format: 'date-time', description: 'a pass is redeemable until then' }) expiresAt: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'when an enrollment spent it' }) usedAt: string | null;
  @ApiProperty({ description: 'the result as a compact JWS (ES256) signed by the attestation service' }) token: string;
}

class DeviceAttestationResultsDto {
  @ApiProperty() serial: string;
  @ApiProperty({ format: 'uuid' }) deviceId: string;
  @ApiProperty({ type: [AttestationResultDto], description: 'newest first' }) results: AttestationResultDto[];
}

/** Attestation results (passes and refusals) as the attestation service stored them, read-only. */
@ApiTags('attestation')
@ApiExtraModels(AttestationResultDto)
@Controller('api/v1/attestation-results')
@RequirePermission('attestations:read')
export class AttestationResultsController {
  constructor(@Inject(RPC) private readonly rpc: RpcClient) {}

  @Get()
  @ApiQuery({ name: 'device', required: true, description: 'device serial' })
  @ApiQuery({ name: 'limit', required: false, description: '1 to 500, default 50' })
  @ApiOkResponse({ type: DeviceAttestationResultsDto })
  @ApiBadRequestResponse({ description: 'no device, an unknown filter or a bad limit' })
  @ApiNotFoundResponse({ description: 'no such device' })
  async list(@Query() query: Record<string, unknown>): Promise<DeviceAttestationResultsDto> {
    onlyKeys(query, ['device', 'limit']);
    const serial = oneText(query, 'device');
    if (!serial) throw new DomainError(ErrorCode.BadRequest, 'device (a serial) is required');
    const limit = oneInt(query, 'limit', 1, 500);
    const device = await this.rpc.request<GetDeviceRequest, DeviceView>(Subjects.onboarding.getDevice, { serial });
    const reply = await this.rpc.request<DeviceAttestationResultsRequest, DeviceAttestationResultsReply>(Subjects.attestation.deviceResults, { deviceId: device.id, limit });
    return { serial: device.serial, deviceId: device.id, results: reply.results };
  }

  @Get(':id')
  @ApiParam({ name: 'id', description: 'result id (UUID)' })
  @ApiOkResponse({ schema: { $ref: getSchemaPath(AttestationResultDto) } })
  @ApiBadRequestResponse({ description: 'the id is not a UUID' })
  @ApiNotFoundResponse({ description: 'no such result (or pruned after expiry)' })
  show(@Param('id') id: string): Promise<AttestationResultView> {
    if (!UUID.test(id)) throw new DomainError(ErrorCode.BadRequest, 'id must be a UUID');
    return this.rpc.request<GetAttestationResultRequest, AttestationResultView>(Subjects.attestation.getResult, { id: id.toLowerCase() });
  }
}
