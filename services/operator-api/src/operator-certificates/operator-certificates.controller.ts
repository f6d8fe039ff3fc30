import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength } from 'class-validator';
import { Role, ROLES } from '../auth/permissions';
import { AuditAction, RequirePermission } from '../auth/require-permission.decorator';
import { AuthenticatedRequest } from '../auth/token.guard';
import { OperatorCertificatesService, OperatorCertificateView } from './operator-certificates.service';

class BindCertificateDto {
  @ApiProperty({ example: 'alice' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$/, { message: 'name must be 1 to 100 letters, digits, ".", "_", "@" or "-"' })
  name: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES as unknown as string[], { message: `role must be one of ${ROLES.join(', ')}` })
  role: Role;

  @ApiProperty({ description: "the operator's client certificate (PEM), issued by this suite's CA" })
  @IsString()
  @MaxLength(16_000)
  certificate: string;
}

class OperatorCertificateDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ description: 'SHA-256 of the DER' }) fingerprint: string;
  @ApiProperty() serial: string;
  @ApiProperty() subject: string;
  @ApiProperty({ format: 'date-time' }) notAfter: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty() createdBy: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) revokedAt: string | null;
  @ApiProperty({ enum: ['active', 'expired', 'revoked'] }) status: string;
}

class OperatorCertificateListDto {
  @ApiProperty({ type: [OperatorCertificateDto] }) certificates: OperatorCertificateDto[];
}

/** Operator mTLS credentials (used on the mTLS listener, API_MTLS_PORT). */
@ApiTags('operator-certificates')
@Controller('api/v1/operator-certificates')
@RequirePermission('tokens:manage')
export class OperatorCertificatesController {
  constructor(private readonly certs: OperatorCertificatesService) {}

  @Post()
  @AuditAction('operator-certificate.bind')
  @ApiCreatedResponse({ type: OperatorCertificateDto })
  bind(@Body() body: BindCertificateDto, @Req() req: AuthenticatedRequest): Promise<OperatorCertificateView> {
    return this.certs.bind(body, req.operator);
  }

  @Get()
  @ApiOkResponse({ type: OperatorCertificateListDto })
  async list(): Promise<OperatorCertificateListDto> {
    return { certificates: await this.certs.list() };
  }

  @Delete(':id')
  @HttpCode(200)
  @AuditAction('operator-certificate.unbind')
  @ApiOkResponse({ type: OperatorCertificateDto })
  unbind(@Param('id', new ParseUUIDPipe({ version: '4' })) id: string): Promise<OperatorCertificateView> {
    return this.certs.unbind(id);
  }
}
