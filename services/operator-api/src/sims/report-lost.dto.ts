import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class ReportLostDto {
  @ApiProperty({ maxLength: 400, example: 'stolen from service van 17' })
  @IsString()
  @IsNotEmpty({ message: 'reason is required: say why the SIM is reported lost' })
  @MaxLength(400)
  reason: string;
}
