import { IsBoolean, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { Type } from 'class-transformer';

export class UploadPolicyDto {
  /** The policy document (JSON); its shape and meaning are checked by the policy service. */
  @IsObject({ message: 'document must be a JSON object (the policy document)' })
  document: Record<string, unknown>;

  @IsOptional()
  @IsBoolean()
  activate?: boolean;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(400)
  reason?: string;
}

export class PolicyReasonDto {
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(400)
  reason?: string;
}

export class DecisionsQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}
