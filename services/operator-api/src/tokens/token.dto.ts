import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { Role, ROLES } from '../auth/permissions';

export class CreateTokenDto {
  @ApiProperty({ description: 'who or what holds the token; unique among live tokens', example: 'alice', pattern: '^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$/, { message: 'name must be 1 to 100 letters, digits, ".", "_", "@" or "-"' })
  name: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES as unknown as string[], { message: `role must be one of ${ROLES.join(', ')}` })
  role: Role;

  @ApiPropertyOptional({ description: 'days until the token expires', default: 90, minimum: 1, maximum: 365 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365)
  ttlDays?: number;
}

export class OperatorTokenViewDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ nullable: true, type: String }) createdBy: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) expiresAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) revokedAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastUsedAt: string | null;
  @ApiProperty({ enum: ['active', 'expired', 'revoked'] }) status: 'active' | 'expired' | 'revoked';
}

export class CreatedTokenDto {
  @ApiProperty({ description: 'the secret: shown this once, stored only as its SHA-256', example: 'iis_…' })
  token: string;

  @ApiProperty({ type: OperatorTokenViewDto })
  info: OperatorTokenViewDto;
}

export class TokenListDto {
  @ApiProperty({ type: [OperatorTokenViewDto] })
  tokens: OperatorTokenViewDto[];
}
