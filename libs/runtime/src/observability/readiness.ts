/** One dependency a service needs to take requests (NATS, its database). */
export interface ReadinessCheck {
  name: string;
  probe: () => Promise<unknown>;
}

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, 'ok' | string>;
}

/** Runs every probe at once; a probe that fails or does not answer within `timeoutMs` makes the service not ready. */
export async function checkReadiness(checks: ReadinessCheck[], timeoutMs: number): Promise<ReadinessReport> {
  const results = await Promise.all(
    checks.map(async (c) => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)));
      try {
        await Promise.race([c.probe(), late]);
        return [c.name, 'ok'] as const;
      } catch (e) {
        return [c.name, (e as Error)?.message ?? String(e)] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return { ready: results.every(([, r]) => r === 'ok'), checks: Object.fromEntries(results) };
}
