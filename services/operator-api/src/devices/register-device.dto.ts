import { Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, IsString, Matches, Max, Min, ValidateNested } from 'class-validator';

/** Shape only; the registry checks check digits and uniqueness again. */
export class SimDto {
  @IsString()
  @Matches(/^\d{18,22}$/, { message: 'sim.iccid must be 18 to 22 digits' })
  iccid: string;

  @IsString()
  @Matches(/^\d{6,15}$/, { message: 'sim.imsi must be 6 to 15 digits' })
  imsi: string;

  @IsString()
  @Matches(/^\d{15}$/, { message: 'sim.imei must be 15 digits' })
  imei: string;
}

export class RegisterDeviceDto {
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'serial must be 1 to 64 letters, digits, ".", "_" or "-"' })
  serial: string;

  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'deviceClass must be 1 to 64 letters, digits, ".", "_" or "-"' })
  deviceClass?: string;

  @IsObject()
  @ValidateNested()
  @Type(() => SimDto)
  sim: SimDto;
}

export class CreateSecretDto {
  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(90 * 86400)
  ttlSeconds?: number;
}
