import type { CommandContext } from '../context';

/**
 * Calls the operator API's policy endpoints through the shared client (token, timeouts, error
 * mapping). The client has one method per endpoint; until the policy endpoints get theirs,
 * this goes through its generic request.
 */
export function policyApi<T>(ctx: CommandContext, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const client = ctx.api() as unknown as { request<R>(m: 'GET' | 'POST', p: string, b?: unknown): Promise<R> };
  return client.request<T>(method, path, body);
}
