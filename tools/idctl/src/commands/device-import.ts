import * as fs from 'node:fs';
import { ApiError } from '../api-client';
import { checker, parseCommandArgs, positionals } from '../args';
import type { Command } from '../context';
import { CliError, ExitCode } from '../exit-codes';
import { parseDeviceCsv } from '../device-import';
import { progressLine } from '../export-format';
import { clean, json, lines } from '../output';

interface Outcome {
  line: number;
  serial: string;
  ok: boolean;
  id?: string;
  error?: string;
}

export const deviceImport: Command = {
  name: 'device import',
  usage: 'idctl device import --file <devices.csv> [--progress] [--json]',
  summary: 'register many devices from CSV (serial,iccid,imsi,imei[,class]); exits 1 if any line failed',
  async run(argv, ctx) {
    const { values, positionals: rest } = parseCommandArgs(argv, { file: { type: 'string' }, progress: { type: 'boolean' }, json: { type: 'boolean' } }, this.usage);
    positionals(rest, [], this.usage);
    const file = checker(this.usage).text('--file', values.file);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new CliError(ExitCode.Usage, `cannot read --file ${clean(file)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const parsed = parseDeviceCsv(text);
    const outcomes: Outcome[] = parsed.problems.map((p) => ({ line: p.line, serial: '', ok: false, error: p.message }));
    const showProgress = values.progress === true || ctx.io.stderrIsTTY === true;
    const total = parsed.rows.length;
    for (const [i, row] of parsed.rows.entries()) {
      try {
        const device = await ctx.api().registerDevice({ serial: row.serial, ...(row.deviceClass ? { deviceClass: row.deviceClass } : {}), sim: row.sim });
        outcomes.push({ line: row.line, serial: row.serial, ok: true, id: device.id });
      } catch (e) {
        // A refusal (400, 409) is this line's problem; anything else stops the import.
        if (!(e instanceof ApiError) || e.status >= 500) throw e;
        outcomes.push({ line: row.line, serial: row.serial, ok: false, error: e.message });
      }
      if (showProgress) ctx.io.stderr(`${ctx.io.stderrIsTTY ? '\r' : ''}${progressLine(i + 1, total, 'devices')}${ctx.io.stderrIsTTY ? '' : '\n'}`);
    }
    if (showProgress && ctx.io.stderrIsTTY) ctx.io.stderr('\n');
    outcomes.sort((a, b) => a.line - b.line);
    const failed = outcomes.filter((o) => !o.ok);
    if (values.json) ctx.io.stdout(json({ imported: outcomes.length - failed.length, failed: failed.length, lines: outcomes }));
    else {
      ctx.io.stdout(
        lines(
          `import  imported=${outcomes.length - failed.length}  failed=${failed.length}`,
          ...failed.map((o) => `failed  line ${o.line}${o.serial ? ` (${clean(o.serial)})` : ''}: ${clean(o.error)}`),
        ),
      );
    }
    return failed.length ? ExitCode.Refused : ExitCode.Ok;
  },
};
