import { Controller, Get, Req } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Permission, PERMISSIONS, ROLES } from '../auth/permissions';
import { can } from '../auth/permissions';
import { RequirePermission } from '../auth/require-permission.decorator';
import type { AuthenticatedRequest } from '../auth/token.guard';

class SessionDto {
  @ApiProperty() name: string;
  @ApiProperty({ enum: ROLES }) role: string;
  @ApiProperty({ type: [String], description: 'what this credential may do; the console shows only these actions' }) permissions: Permission[];
}

/** Who the caller is: the web console logs in with this and hides what the role may not do. */
@ApiTags('session')
@Controller('api/v1/session')
export class SessionController {
  @Get()
  @RequirePermission('session:read')
  @ApiOkResponse({ type: SessionDto })
  whoami(@Req() req: AuthenticatedRequest): SessionDto {
    const { name, role } = req.operator;
    return { name, role, permissions: PERMISSIONS.filter((p) => !p.startsWith('undeclared') && can(role, p)) };
  }
}
