import * as fs from 'node:fs';
import { checker, parseCommandArgs, positionals, UsageError } from '../args';
import type { Command, CommandContext } from '../context';
import { CliError, ExitCode } from '../exit-codes';
import { auditCsvRow, csvHeader, jsonLine, progressLine } from '../export-format';
import { clean, json, lines } from '../output';

interface VerifyReply {
  ok: boolean;
  checked: number;
  head: { seq: number; hash: string } | null;
  firstBroken: { seq: number; problem: string; message: string } | null;
}

interface AuditPage {
  entries: Record<string, unknown>[];
  nextCursor: number | null;
  headSeq: number | null;
}

export const auditVerify: Command = {
  name: 'audit verify',
  usage: 'idctl audit verify [--json]',
  summary: 'check the whole audit hash chain; exits 1 and names the first broken entry if any was edited or deleted',
  async run(argv, ctx) {
    const { values, positionals: rest } = parseCommandArgs(argv, { json: { type: 'boolean' } }, this.usage);
    positionals(rest, [], this.usage);
    const r = await ctx.api().request<VerifyReply>('GET', '/audit/verify');
    if (values.json) ctx.io.stdout(json(r));
    else if (r.ok) {
      ctx.io.stdout(lines(`audit   ok  entries=${r.checked}  head=${r.head ? `${r.head.seq}:${clean(r.head.hash)}` : 'empty'}`, '        keep the head: a later verify that ends before it means entries were cut off the end'));
    } else {
      ctx.io.stdout(lines(`audit   BROKEN  first-broken-entry=${r.firstBroken!.seq}  problem=${clean(r.firstBroken!.problem)}  entries-checked=${r.checked}`, `        ${clean(r.firstBroken!.message)}`));
    }
    return r.ok ? ExitCode.Ok : ExitCode.Refused;
  },
};

export const auditExport: Command = {
  name: 'audit export',
  usage:
    'idctl audit export [--since <ISO time>] [--until <ISO time>] [--device <serial or id>] [--actor <name>] [--action <name>] [--format jsonl|csv] [--output <file>] [--progress]',
  summary: 'write audit entries as JSON Lines (default) or CSV, to stdout or a 0600 file, with a progress bar',
  async run(argv, ctx) {
    const { values, positionals: rest } = parseCommandArgs(
      argv,
      {
        since: { type: 'string' },
        until: { type: 'string' },
        device: { type: 'string' },
        actor: { type: 'string' },
        action: { type: 'string' },
        format: { type: 'string' },
        output: { type: 'string' },
        progress: { type: 'boolean' },
      },
      this.usage,
    );
    positionals(rest, [], this.usage);
    const check = checker(this.usage);
    const format = values.format ?? 'jsonl';
    if (format !== 'jsonl' && format !== 'csv') throw new UsageError('--format must be jsonl or csv', this.usage);
    const filter = new URLSearchParams();
    for (const key of ['since', 'until', 'device', 'actor', 'action'] as const) {
      if (values[key] !== undefined) filter.set(key, check.text(`--${key}`, values[key]));
    }
    // The file is made when the first page has arrived, and removed if the export fails part-way:
    // a truncated file must not pass for evidence.
    let out: Output | undefined;
    const showProgress = values.progress === true || (ctx.io.stderrIsTTY === true && values.output !== undefined);
    let written = 0;
    try {
      let after: number | null = null;
      for (;;) {
        const q = new URLSearchParams(filter);
        q.set('limit', '1000');
        if (after !== null) q.set('after', String(after));
        const page: AuditPage = await ctx.api().request<AuditPage>('GET', `/audit?${q.toString()}`);
        if (!out) {
          out = openOutput(values.output, ctx);
          if (format === 'csv') out.write(csvHeader());
        }
        for (const e of page.entries) out.write(format === 'csv' ? auditCsvRow(e) : jsonLine(e));
        written += page.entries.length;
        const scanned = page.nextCursor ?? page.headSeq ?? 0;
        if (showProgress) progress(ctx, progressLine(Math.min(scanned, page.headSeq ?? scanned), page.headSeq, `entries scanned, ${written} exported`));
        if (page.nextCursor === null) break;
        after = page.nextCursor;
      }
    } catch (e) {
      out?.close();
      if (out && values.output !== undefined) fs.rmSync(values.output, { force: true });
      throw e;
    }
    out!.close();
    if (showProgress && ctx.io.stderrIsTTY) ctx.io.stderr('\n');
    if (values.output !== undefined) ctx.io.stderr(`idctl: exported ${written} audit entries to ${clean(values.output)} (${format})\n`);
    return ExitCode.Ok;
  },
};

function progress(ctx: CommandContext, line: string): void {
  // On a terminal the bar redraws in place; in a log, one line per page.
  ctx.io.stderr(ctx.io.stderrIsTTY ? `\r${line}` : `${line}\n`);
}

/** stdout, or a new file only the owner can read: audit evidence names people and devices. */
interface Output {
  write(s: string): void;
  close(): void;
}

function openOutput(file: string | undefined, ctx: CommandContext): Output {
  if (file === undefined) return { write: (s) => ctx.io.stdout(s), close: () => undefined };
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx', 0o600);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(ExitCode.Usage, code === 'EEXIST' ? `--output ${clean(file)} exists; choose a new file` : `cannot create --output ${clean(file)}: ${code ?? (e as Error).message}`);
  }
  return { write: (s) => void fs.writeSync(fd, s), close: () => fs.closeSync(fd) };
}
