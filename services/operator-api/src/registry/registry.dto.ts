import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';

/** Shapes only; onboarding checks check digits, uniqueness and the rest again. */
export class ListDevicesQuery {
  @IsOptional() @IsIn(['pending', 'active', 'quarantined', 'retired']) status?: 'pending' | 'active' | 'quarantined' | 'retired';
  @IsOptional() @IsString() @MaxLength(64) class?: string;
  @IsOptional() @IsString() @MaxLength(64) after?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
}

export class ListSimsQuery {
  @IsOptional() @IsIn(['active', 'suspended', 'lost', 'retired']) status?: 'active' | 'suspended' | 'lost' | 'retired';
  @IsOptional() @IsString() @MaxLength(22) after?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
}

export class ImportRowDto {
  @IsInt() @Min(1) line: number;
  @IsString() @MaxLength(64) serial: string;
  @IsOptional() @IsString() @MaxLength(64) deviceClass?: string;
  @IsOptional() @IsString() @MaxLength(100) manufacturer?: string;
  @IsOptional() @IsString() @MaxLength(64) firmwareVersion?: string;
  @IsOptional() @IsString() @MaxLength(22) iccid?: string;
  @IsOptional() @IsString() @MaxLength(15) imsi?: string;
  @IsOptional() @IsString() @MaxLength(15) imei?: string;
}

export class ImportDevicesDto {
  @IsArray() @ArrayMaxSize(5000) @ValidateNested({ each: true }) @Type(() => ImportRowDto) rows: ImportRowDto[];
  @IsOptional() @IsBoolean() withSecrets?: boolean;
}

export class SetStatusDto {
  @IsIn(['pending', 'active', 'quarantined', 'retired']) status: 'pending' | 'active' | 'quarantined' | 'retired';
}

export class AddSimDto {
  @IsString() @Matches(/^\d{18,22}$/, { message: 'iccid must be 18 to 22 digits' }) iccid: string;
  @IsString() @Matches(/^\d{6,15}$/, { message: 'imsi must be 6 to 15 digits' }) imsi: string;
  @IsString() @Matches(/^\d{15}$/, { message: 'imei must be 15 digits' }) imei: string;
  @IsOptional() @IsString() @MaxLength(64) deviceSerial?: string;
}

export class EstLabelDto {
  @IsOptional() @IsIn(['device']) profile?: 'device';
  @IsOptional() @IsArray() @IsIn(['P-256', 'P-384', 'RSA', 'Ed25519'], { each: true }) keyTypes?: string[];
  @IsOptional() @IsBoolean() requireProofOfPossession?: boolean;
  @IsOptional() @IsBoolean() requireApproval?: boolean;
  @IsOptional() @IsInt() @Min(60) maxTtlSeconds?: number;
}

export class ListEnrollmentsQuery {
  @IsOptional() @IsString() @MaxLength(64) serial?: string;
  @IsOptional() @IsIn(['issued', 'refused', 'failed', 'pending']) outcome?: 'issued' | 'refused' | 'failed' | 'pending';
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
}

export class ListPendingQuery {
  @IsOptional() @IsIn(['pending', 'approved', 'rejected', 'completed']) status?: 'pending' | 'approved' | 'rejected' | 'completed';
}
