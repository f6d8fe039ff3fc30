import * as fs from 'node:fs';
import { descendants, statFields } from '../test/support/processes';
import { median, WARMUP_RUNS } from './harness';

/** USER_HZ: 100 on Linux for every common architecture. */
const CLOCK_TICKS_PER_SECOND = 100;

/** user + system CPU of a process from /proc (Linux), µs; undefined elsewhere or once it is gone. */
export function processCpuMicros(pid: number | undefined): number | undefined {
  const fields = pid === undefined ? undefined : statFields(pid);
  return fields ? ((Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND) * 1e6 : undefined;
}

/** A process of a running suite by what it is: a service (dist/services/<id>/), nats-server, or the launcher. */
function roleOf(pid: number): string {
  let cmd = '';
  try {
    cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return 'gone';
  }
  const service = /services\/([a-z-]+)\/src\/main\.js/.exec(cmd);
  if (service) return service[1];
  if (/nats-server/.test(cmd)) return 'nats-server';
  return 'other';
}

/**
 * CPU per role over a stretch of load: the processes of a suite (the launcher `root` and what it
 * started) and this process (the load generator). Readings come from /proc at 10 ms resolution,
 * so a stretch should hold seconds of CPU.
 */
export class SuiteCpu {
  private readonly roles: Array<{ pid: number; role: string }>;

  constructor(root: number) {
    this.roles = [{ pid: root, role: 'launcher' }, ...descendants(root).map((pid) => ({ pid, role: roleOf(pid) }))];
  }

  /** Starts a stretch; the function it returns ends it and gives µs of CPU per role ('clients' is this process). */
  start(): () => Record<string, number> {
    const before = this.read();
    return () => {
      const after = this.read();
      const spent: Record<string, number> = {};
      for (const [role, us] of Object.entries(after)) spent[role] = us - (before[role] ?? 0);
      return spent;
    };
  }

  private read(): Record<string, number> {
    const byRole: Record<string, number> = {};
    for (const { pid, role } of this.roles) byRole[role] = (byRole[role] ?? 0) + (processCpuMicros(pid) ?? 0);
    const own = process.cpuUsage();
    byRole.clients = own.user + own.system;
    return byRole;
  }
}

/**
 * "CPU per enrollment: onboarding 0.78 ms, ca 0.43 ms, …; all 1.65 ms": medians over the measured
 * runs (the harness's warm-up left out) of µs per unit by role, largest first.
 */
export function cpuPer(unit: string, runs: Array<Record<string, number>>): string {
  const measured = runs.slice(WARMUP_RUNS);
  if (measured.length === 0) return 'CPU not measured';
  const ms = (us: number) => `${(us / 1000).toFixed(2)} ms`;
  const each = Object.keys(measured[0])
    .map((role) => [role, median(measured.map((r) => r[role] ?? 0))] as const)
    // /proc counts in 10 ms steps: under ~10 us per unit a process is noise here.
    .filter(([, us]) => us >= 10)
    .sort((a, b) => b[1] - a[1]);
  const all = median(measured.map((r) => Object.values(r).reduce((a, b) => a + b, 0)));
  return `CPU per ${unit}: ${each.map(([role, us]) => `${role} ${ms(us)}`).join(', ')}; all ${ms(all)}`;
}
