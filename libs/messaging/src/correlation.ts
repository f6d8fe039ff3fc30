import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** NATS header and HTTP header that carry one request's id from service to service. */
export const CORRELATION_HEADER = 'x-correlation-id';
export const REQUEST_ID_HEADER = 'x-request-id';

const store = new AsyncLocalStorage<{ correlationId: string }>();
const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The correlation id of the request this code runs for, if any. */
export function currentCorrelationId(): string | undefined {
  return store.getStore()?.correlationId;
}

/** A caller's id when it is a sane token (no log injection), otherwise a fresh one. */
export function acceptCorrelationId(offered: string | undefined | null): string {
  return offered && ACCEPTABLE_ID.test(offered) ? offered : randomUUID();
}

/** Runs `fn` (and everything it awaits) under one correlation id. */
export function withCorrelationId<T>(correlationId: string, fn: () => T): T {
  return store.run({ correlationId }, fn);
}
