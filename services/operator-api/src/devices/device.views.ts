import { ApiProperty } from '@nestjs/swagger';

/** OpenAPI shapes of the registry's replies (the types themselves are in @iis/contracts). */
export class SimViewDto {
  @ApiProperty({ example: '89441000303122845215' }) iccid: string;
  @ApiProperty() imsi: string;
  @ApiProperty() imei: string;
  @ApiProperty({ enum: ['active', 'suspended', 'lost', 'retired'] }) status: string;
  @ApiProperty({ nullable: true, type: String }) deviceId: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lostAt: string | null;
  @ApiProperty({ nullable: true, type: String, required: false, description: 'SHA-256 (hex) of the SPKI of the device key bound to the SIM' }) keySha256?: string | null;
  @ApiProperty({ nullable: true, type: String, required: false, format: 'date-time' }) keyBoundAt?: string | null;
}

export class DeviceViewDto {
  @ApiProperty() id: string;
  @ApiProperty() serial: string;
  @ApiProperty() deviceClass: string;
  @ApiProperty({ enum: ['pending', 'active', 'quarantined', 'retired'] }) status: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: SimViewDto, nullable: true }) sim: SimViewDto | null;
}

export class SecretDto {
  @ApiProperty() serial: string;
  @ApiProperty({ description: 'one-time bootstrap secret, shown once' }) secret: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
}

class RevokedDto {
  @ApiProperty() serial: string;
  @ApiProperty() issuerId: string;
  @ApiProperty() sequence: number;
}

export class SuspendSimReplyDto {
  @ApiProperty() iccid: string;
  @ApiProperty({ nullable: true, type: String }) deviceId: string | null;
  @ApiProperty({ example: 'suspended' }) simStatus: string;
  @ApiProperty() alreadySuspended: boolean;
  @ApiProperty({ type: [RevokedDto], description: 'certificates put on certificateHold now' }) held: RevokedDto[];
}

export class ResumeSimReplyDto {
  @ApiProperty() iccid: string;
  @ApiProperty({ example: 'active' }) simStatus: string;
  @ApiProperty({ type: [RevokedDto], description: 'certificates whose hold ended now (removeFromCRL)' }) released: RevokedDto[];
}

export class ReportLostReplyDto {
  @ApiProperty() iccid: string;
  @ApiProperty({ nullable: true, type: String }) deviceId: string | null;
  @ApiProperty() simStatus: string;
  @ApiProperty() alreadyLost: boolean;
  @ApiProperty({ type: [RevokedDto] }) revoked: RevokedDto[];
}
