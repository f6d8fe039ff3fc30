import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export class ReportLostDto {
  @ApiProperty({ maxLength: 400, example: 'stolen from service van 17' })
  @IsString()
  @IsNotEmpty({ message: 'reason is required: say why the SIM is reported lost' })
  @MaxLength(400)
  reason: string;
}

export class SuspendSimDto {
  @ApiProperty({ maxLength: 400, example: 'unpaid contract' })
  @IsString()
  @IsNotEmpty({ message: 'reason is required: say why the SIM is suspended' })
  @MaxLength(400)
  reason: string;
}

export class ResumeSimDto {
  @ApiProperty({ required: false, maxLength: 400, example: 'contract settled' })
  @IsOptional()
  @IsString()
  @MaxLength(400)
  reason?: string;
}
