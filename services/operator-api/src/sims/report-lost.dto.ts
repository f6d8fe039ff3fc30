import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class ReportLostDto {
  @IsString()
  @IsNotEmpty({ message: 'reason is required: say why the SIM is reported lost' })
  @MaxLength(400)
  reason: string;
}
