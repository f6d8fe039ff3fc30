import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, IsString, Matches, Max, Min, ValidateNested } from 'class-validator';

/** Shape only; the registry checks check digits and uniqueness again. */
export class SimDto {
  @ApiProperty({ example: '89441000303122845215', pattern: '^\\d{18,22}$' })
  @IsString()
  @Matches(/^\d{18,22}$/, { message: 'sim.iccid must be 18 to 22 digits' })
  iccid: string;

  @ApiProperty({ pattern: '^\\d{6,15}$' })
  @IsString()
  @Matches(/^\d{6,15}$/, { message: 'sim.imsi must be 6 to 15 digits' })
  imsi: string;

  @ApiProperty({ pattern: '^\\d{15}$' })
  @IsString()
  @Matches(/^\d{15}$/, { message: 'sim.imei must be 15 digits' })
  imei: string;
}

export class RegisterDeviceDto {
  @ApiProperty({ example: 'SN-0001' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'serial must be 1 to 64 letters, digits, ".", "_" or "-"' })
  serial: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'deviceClass must be 1 to 64 letters, digits, ".", "_" or "-"' })
  deviceClass?: string;

  @ApiProperty({ type: SimDto })
  @IsObject()
  @ValidateNested()
  @Type(() => SimDto)
  sim: SimDto;
}

export class CreateSecretDto {
  @ApiPropertyOptional({ minimum: 60, maximum: 90 * 86400, description: 'seconds until the secret expires' })
  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(90 * 86400)
  ttlSeconds?: number;
}
