/** The health/metrics listeners the launcher printed, by service. */
export function opsUrls(output: string): Record<string, string> {
  const line = /Health and metrics: (.+)/.exec(output)?.[1] ?? '';
  return Object.fromEntries([...line.matchAll(/([a-z-]+) (http:\/\/\S+?)(?:,|$)/g)].map((m) => [m[1], m[2]]));
}

export async function readiness(opsUrl: string): Promise<{ status: number; body: { status: string; checks: Record<string, string> } }> {
  const res = await fetch(`${opsUrl}/health/ready`);
  return { status: res.status, body: await res.json() };
}

/** The value of one Prometheus sample, 0 when it has not been written yet. */
export async function metricValue(opsUrl: string, name: string, labels: Record<string, string>): Promise<number> {
  const text = await (await fetch(`${opsUrl}/metrics`)).text();
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)\{([^}]*)\} (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    if (Object.entries(labels).every(([k, v]) => m[2].includes(`${k}="${v}"`))) return Number(m[3]);
  }
  return 0;
}

/** Polls until `check` returns true, or fails naming what did not happen (never a timing assertion). */
export async function eventually(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > until) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
