import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import * as path from 'node:path';
import type { Response } from 'express';
import { Public } from '../auth/require-permission.decorator';
import { CONSOLE_HEADERS, consoleFile, consoleRoot } from './console-files';

/**
 * The web console's files at /console. They hold no data and so need no credential (the login
 * page must load); every figure the console shows comes from /api/v1 with the operator's token,
 * through the same guard and roles as any other client.
 */
@ApiExcludeController()
@Controller('console')
export class ConsoleStaticController {
  private readonly root = consoleRoot(__dirname);

  @Get()
  @Public()
  page(@Res() res: Response): void {
    this.send(res, undefined);
  }

  @Get('*path')
  @Public()
  file(@Param('path') parts: string[] | string, @Res() res: Response): void {
    this.send(res, Array.isArray(parts) ? parts.join('/') : parts);
  }

  private send(res: Response, urlPath: string | undefined): void {
    const file = consoleFile(this.root, urlPath);
    if (!file) throw new NotFoundException('the console is not built: run npm run build');
    // Hashed asset names change with every build; the page itself is always fetched fresh.
    const cache = file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-store';
    res.sendFile(file, { headers: { ...CONSOLE_HEADERS, 'Cache-Control': cache }, dotfiles: 'deny' });
  }
}
