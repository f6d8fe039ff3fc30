import type { LoggerService } from '@nestjs/common';
import pino, { Logger as Pino } from 'pino';
import { currentCorrelationId } from '@iis/messaging';
import type { CommonConfig } from '@iis/config';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/** One JSON line per event on stdout: level, time, service, context, correlationId, msg. */
export function createJsonLog(service: string, level: CommonConfig['logLevel'], destination: pino.DestinationStream = pino.destination(1)): Pino {
  return pino(
    {
      level,
      base: { service, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // The id of the request being served, wherever in the call chain the line is written.
      mixin: () => {
        const correlationId = currentCorrelationId();
        return correlationId ? { correlationId } : {};
      },
    },
    destination,
  );
}

/** Nest's logger interface over pino: Nest's context argument becomes the `context` field. */
export class JsonLogger implements LoggerService {
  constructor(readonly pino: Pino) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(level: Level, message: unknown, rest: unknown[]): void {
    const params = [...rest];
    // Nest appends the logger's context as the last string argument.
    const context = params.length > 0 && typeof params[params.length - 1] === 'string' ? (params.pop() as string) : undefined;
    const fields: Record<string, unknown> = context ? { context } : {};
    const stack = params.find((p): p is string => typeof p === 'string');
    if (stack) fields.stack = stack;
    if (message instanceof Error) this.pino[level]({ ...fields, err: message }, message.message);
    else if (message !== null && typeof message === 'object') this.pino[level]({ ...fields, ...(message as object) });
    else this.pino[level](fields, String(message));
  }
}
