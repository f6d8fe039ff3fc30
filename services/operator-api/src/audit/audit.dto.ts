import { ApiProperty } from '@nestjs/swagger';

export class AuditEntryDto {
  @ApiProperty({ description: 'position in the chain, dense from 1' }) seq: number;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty() actorId: string;
  @ApiProperty({ description: 'the token name' }) actor: string;
  @ApiProperty() role: string;
  @ApiProperty({ example: 'sim.report-lost' }) action: string;
  @ApiProperty({ nullable: true, type: String, example: '/api/v1/sims/89441000303122845215/report-lost' }) target: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'device serial, when the action names one' }) device: string | null;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
  @ApiProperty({ enum: ['ok', 'denied', 'failed'] }) outcome: string;
  @ApiProperty({ description: 'HTTP status answered' }) status: number;
  @ApiProperty({ nullable: true, type: String, description: 'error code, or the permission a refusal lacked' }) detail: string | null;
  @ApiProperty({ description: 'hash of the entry before (64 zeros for the first)' }) prevHash: string;
  @ApiProperty({ description: 'SHA-256 over this entry and prevHash' }) hash: string;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEntryDto] }) entries: AuditEntryDto[];
  @ApiProperty({ nullable: true, type: Number, description: 'pass as "after" for the next page; null on the last' }) nextCursor: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'sequence number of the newest entry in the whole trail' }) headSeq: number | null;
}

export class ChainHeadDto {
  @ApiProperty() seq: number;
  @ApiProperty() hash: string;
}

export class BrokenEntryDto {
  @ApiProperty() seq: number;
  @ApiProperty({ enum: ['hash', 'link', 'sequence'] }) problem: string;
  @ApiProperty() message: string;
}

export class AuditVerifyDto {
  @ApiProperty() ok: boolean;
  @ApiProperty() checked: number;
  @ApiProperty({ type: ChainHeadDto, nullable: true, description: 'keep it elsewhere: a later verify proves nothing was cut off the end' }) head: ChainHeadDto | null;
  @ApiProperty({ type: BrokenEntryDto, nullable: true }) firstBroken: BrokenEntryDto | null;
}
