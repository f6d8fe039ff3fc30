import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { renderChart } from './chart';

export interface Benchmark {
  name: string;
  unit: string;
  goal: string;
  /** One measured run: returns the figure in `unit`. */
  run(): Promise<number>;
  /** Printed beside the figure: what it is compared with, measured in the same run. */
  reference?: string;
  /** Releases what run() set up (servers, connections), after the last run. */
  teardown?(): Promise<void>;
}

export interface Result {
  name: string;
  unit: string;
  goal: string;
  median: number;
  min: number;
  max: number;
  runs: number[];
  reference?: string;
}

/** Runs before the measured ones, not counted; a peer's figure shown beside ours skips them too. */
export const WARMUP_RUNS = 1;
export const MEASURED_RUNS = 5;

export async function measure(b: Benchmark): Promise<Result> {
  for (let i = 0; i < WARMUP_RUNS; i++) await b.run();
  const runs: number[] = [];
  for (let i = 0; i < MEASURED_RUNS; i++) runs.push(await b.run());
  return { name: b.name, unit: b.unit, goal: b.goal, median: median(runs), min: Math.min(...runs), max: Math.max(...runs), runs, reference: b.reference };
}

/** Nearest-rank percentile (`q` from 0 to 1) of `xs`, which it leaves unsorted. */
export function percentile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(s.length * q) - 1))];
}

/** The median, as the nearest-rank 50th percentile (with an odd count, the middle figure). */
export function median(xs: number[]): number {
  return percentile(xs, 0.5);
}

/** `p`, or a rejection with `message` (read when the time is up) after `ms`. */
export function withTimeout<T>(p: Promise<T>, ms: number, message: string | (() => string)): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = () => new Error(typeof message === 'string' ? message : message());
  return Promise.race([p, new Promise<never>((_r, reject) => (timer = setTimeout(() => reject(expired()), ms)))]).finally(() => clearTimeout(timer));
}

/** Runs `fn` repeatedly for `ms` and returns operations per second. */
export async function opsPerSecond(fn: () => Promise<unknown> | unknown, ms = 1000): Promise<number> {
  const start = process.hrtime.bigint();
  const end = start + BigInt(ms) * 1_000_000n;
  let n = 0;
  let now = start;
  while (now < end) {
    await fn();
    n++;
    if ((n & 15) === 0) now = process.hrtime.bigint();
  }
  now = process.hrtime.bigint();
  return n / (Number(now - start) / 1e9);
}

/** Keeps `concurrency` calls of `one(i)` in flight for `ms`; returns completed calls per second. */
export async function closedLoop(concurrency: number, ms: number, one: (i: number) => Promise<unknown>): Promise<number> {
  const until = Date.now() + ms;
  let done = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async (_v, w) => {
      let i = w;
      while (Date.now() < until) {
        await one(i++);
        done++;
      }
    }),
  );
  return done / (Number(process.hrtime.bigint() - start) / 1e9);
}

export function printTable(results: Result[]): void {
  const rows = results.map((r) => [r.name, `${fmt(r.median)} ${r.unit}`, `${fmt(r.min)}–${fmt(r.max)}`, r.goal, r.reference ?? '']);
  const head = ['benchmark', 'median', 'spread (min–max)', 'goal', 'reference'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

export function writeChart(results: Result[], at = new Date()): string {
  const dir = path.resolve(__dirname, '..', '..', 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'latest.svg');
  const title = `npm run bench, ${at.toISOString().slice(0, 16)}Z, ${machineLine()}`;
  fs.writeFileSync(file, renderChart(results, title));
  return file;
}

/** The machine in one line, as the chart title and the README name it. */
export function machineLine(): string {
  return `${os.cpus().length} cores (${os.cpus()[0]?.model?.trim() ?? 'unknown CPU'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

export function writeResults(results: Result[]): string {
  const dir = path.resolve(__dirname, '..', '..', 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` };
  fs.writeFileSync(file, JSON.stringify({ machine, results }, null, 2) + '\n');
  return file;
}

function fmt(n: number): string {
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2);
}
