import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { RevocationReasons } from '@iis/contracts';

const REASONS = Object.keys(RevocationReasons).filter((r) => r !== 'certificateHold' && r !== 'removeFromCRL');

/** Exactly one target; the revocation service checks that again. */
export class RevokeDto {
  @IsOptional()
  @IsString()
  @Matches(/^(0x)?[0-9a-fA-F]{1,40}$/, { message: 'serial must be hexadecimal, at most 20 octets' })
  serial?: string;

  @IsOptional()
  @IsString()
  @Matches(/^[0-9a-f-]{36}$/i, { message: 'deviceId must be a UUID' })
  deviceId?: string;

  @IsOptional()
  @IsString()
  @Matches(/^\d{18,22}$/, { message: 'iccid must be 18 to 22 digits' })
  iccid?: string;

  @IsOptional()
  @IsString()
  @Matches(/^[a-z]+-[0-9a-f]{1,32}$/, { message: 'issuerId is malformed' })
  issuerId?: string;

  @IsString()
  @IsIn(REASONS, { message: `reason must be one of ${REASONS.join(', ')}` })
  reason: string;

  @IsOptional()
  @IsString()
  @MaxLength(400)
  comment?: string;
}
