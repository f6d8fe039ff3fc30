import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

/** The reason lands in the audit trail with the actor. */
export class RestoreSimDto {
  @ApiProperty({ maxLength: 400, example: 'found in the service van' })
  @IsString()
  @IsNotEmpty({ message: 'reason is required: say why the SIM is restored' })
  @MaxLength(400)
  reason: string;
}
