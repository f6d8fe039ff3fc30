import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiCreatedResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { OperatorTokensService } from '../auth/operator-tokens.service';
import { AuditAction, RequirePermission } from '../auth/require-permission.decorator';
import { AuthenticatedRequest } from '../auth/token.guard';
import { CreatedTokenDto, CreateTokenDto, OperatorTokenViewDto, TokenListDto } from './token.dto';

/** Operator credentials: created (the secret shown once), listed (never the secret), revoked. */
@ApiTags('tokens')
@Controller('api/v1/tokens')
@RequirePermission('tokens:manage')
export class TokensController {
  constructor(private readonly tokens: OperatorTokensService) {}

  @Post()
  @AuditAction('token.create')
  @ApiCreatedResponse({ type: CreatedTokenDto })
  async create(@Body() body: CreateTokenDto, @Req() req: AuthenticatedRequest): Promise<CreatedTokenDto> {
    const { token, view } = await this.tokens.create({ name: body.name, role: body.role, ttlDays: body.ttlDays ?? 90 }, req.operator.name);
    return { token, info: view };
  }

  @Get()
  @ApiQuery({ name: 'all', required: false, description: 'include revoked tokens', enum: ['true', 'false'] })
  @ApiOkResponse({ type: TokenListDto })
  async list(@Query('all') all?: string): Promise<TokenListDto> {
    return { tokens: await this.tokens.list(all === 'true') };
  }

  @Delete(':id')
  @HttpCode(200)
  @AuditAction('token.revoke')
  @ApiOkResponse({ type: OperatorTokenViewDto })
  revoke(@Param('id', new ParseUUIDPipe({ version: '4' })) id: string, @Req() req: AuthenticatedRequest): Promise<OperatorTokenViewDto> {
    return this.tokens.revoke(id, req.operator);
  }
}
