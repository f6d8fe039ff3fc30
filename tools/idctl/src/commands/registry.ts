import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ImportDeviceRow, SimView } from '@iis/contracts';
import { checker, parseCommandArgs, positionals } from '../args';
import type { Command } from '../context';
import { CliError, ExitCode } from '../exit-codes';
import { clean, json, lines } from '../output';
import { parseDeviceCsv, progressBar } from './device-csv';
import { registryApi } from './registry-api';

const BATCH_ROWS = 400;

function simRow(s: SimView): string {
  return [s.iccid, s.imsi, s.imei, s.status, clean(s.deviceId)].join('  ');
}

function limitOf(check: ReturnType<typeof checker>, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = check.seconds('--limit', raw);
  if (n > 1000) throw new CliError(ExitCode.Usage, '--limit must be at most 1000');
  return n;
}

export const deviceDetails: Command = {
  name: 'device details',
  usage: 'idctl device details <serial> [--json]',
  summary: 'show a device with manufacturer, firmware, first enrollment and its SIM',
  async run(argv, ctx) {
    const { values, positionals: rest } = parseCommandArgs(argv, { json: { type: 'boolean' } }, this.usage);
    const serial = checker(this.usage).serial('<serial>', positionals(rest, ['<serial>'], this.usage)[0]);
    const d = await registryApi(ctx.api()).deviceDetails(serial);
    ctx.io.stdout(
      values.json
        ? json(d)
        : lines(
            `device ${d.serial} (${d.id})`,
            `  class ${d.deviceClass}, status ${d.status}, manufacturer ${clean(d.manufacturer)}, firmware ${clean(d.firmwareVersion)}`,
            `  registered ${d.createdAt}, first enrolled ${clean(d.firstEnrolledAt)}`,
            d.sim ? `  SIM ${simRow(d.sim)}` : '  no SIM',
          ),
    );
    return ExitCode.Ok;
  },
};

export const deviceStatus: Command = {
  name: 'device status',
  usage: 'idctl device status <serial> pending|active|quarantined|retired [--json]',
  summary: 'set a device status (quarantined and retired devices cannot enroll)',
  async run(argv, ctx) {
    const { values, positionals: rest } = parseCommandArgs(argv, { json: { type: 'boolean' } }, this.usage);
    const [rawSerial, status] = positionals(rest, ['<serial>', '<status>'], this.usage);
    const serial = checker(this.usage).serial('<serial>', rawSerial);
    const d = await registryApi(ctx.api()).setDeviceStatus(serial, status);
    ctx.io.stdout(values.json ? json(d) : `device ${d.serial} is ${d.status}\n`);
    return ExitCode.Ok;
  },
};

export const deviceImport: Command = {
  name: 'device import',
  usage: 'idctl device import <file.csv> [--secrets-out FILE] [--json]',
  summary: 'import devices (and SIMs) from CSV: serial,class,manufacturer,firmware,iccid,imsi,imei; bad rows are reported by line',
  async run(argv, ctx) {
    const { values, positionals: rest } = parseCommandArgs(argv, { 'secrets-out': { type: 'string' }, json: { type: 'boolean' } }, this.usage);
    const [file] = positionals(rest, ['<file.csv>'], this.usage);
    const full = path.resolve(ctx.deps.cwd(), file);
    let text: string;
    try {
      text = fs.readFileSync(full, 'utf8');
    } catch (e) {
      throw new CliError(ExitCode.Usage, `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const parsed = parseDeviceCsv(text);
    if (typeof parsed === 'string') throw new CliError(ExitCode.Usage, `${file}: ${parsed}`);
    const secretsOut = values['secrets-out'] ? path.resolve(ctx.deps.cwd(), values['secrets-out']) : undefined;
    let secretsFd: number | undefined;
    if (secretsOut) {
      // Secrets are shown once: written to a new file only its owner can read.
      try {
        secretsFd = fs.openSync(secretsOut, 'wx', 0o600);
      } catch (e) {
        throw new CliError(ExitCode.Usage, `cannot create ${values['secrets-out']}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message} (it must not exist yet)`);
      }
      fs.writeSync(secretsFd, 'serial,secret,expiresAt\n');
    }
    const api = registryApi(ctx.api());
    const rejected = [...parsed.rejected];
    const total = parsed.rows.length + parsed.rejected.length;
    let imported = 0;
    let done = parsed.rejected.length;
    const tty = !values.json && ctx.io.stderrIsTTY === true;
    const progress = (final = false) => {
      const text = `${progressBar(done, total)}, ${rejected.length} rejected`;
      if (tty) ctx.io.stderr(`\r${text}${final ? '\n' : ''}`);
      else if (!values.json && (final || done % (BATCH_ROWS * 25) < BATCH_ROWS)) ctx.io.stderr(`${text}\n`);
    };
    try {
      for (let i = 0; i < parsed.rows.length; i += BATCH_ROWS) {
        const batch: ImportDeviceRow[] = parsed.rows.slice(i, i + BATCH_ROWS);
        const reply = await api.importDevices(batch, !!secretsOut);
        imported += reply.imported;
        rejected.push(...reply.rejected);
        if (secretsFd !== undefined) for (const s of reply.secrets ?? []) fs.writeSync(secretsFd, `${s.serial},${s.secret},${s.expiresAt}\n`);
        done += batch.length;
        progress();
      }
    } finally {
      if (secretsFd !== undefined) fs.closeSync(secretsFd);
    }
    progress(true);
    rejected.sort((a, b) => a.line - b.line);
    if (values.json) ctx.io.stdout(json({ imported, rejected }));
    else {
      ctx.io.stdout(`imported ${imported.toLocaleString('en-US')} device(s); ${rejected.length} row(s) rejected\n`);
      for (const r of rejected) ctx.io.stdout(`  line ${r.line}: ${clean(r.reason)}\n`);
      if (secretsOut) ctx.io.stdout(`enrollment secrets written to ${secretsOut} (mode 0600); they are shown nowhere else\n`);
    }
    return rejected.length ? ExitCode.Refused : ExitCode.Ok;
  },
};

export const simAdd: Command = {
  name: 'sim add',
  usage: 'idctl sim add --iccid I --imsi M --imei E [--device SERIAL] [--json]',
  summary: 'register a SIM, optionally bound to a device that has none',
  async run(argv, ctx) {
    const { values, positionals: rest } = parseCommandArgs(
      argv,
      { iccid: { type: 'string' }, imsi: { type: 'string' }, imei: { type: 'string' }, device: { type: 'string' }, json: { type: 'boolean' } },
      this.usage,
    );
    positionals(rest, [], this.usage);
    const check = checker(this.usage);
    const body = {
      iccid: check.iccid('--iccid', values.iccid),
      imsi: check.imsi('--imsi', values.imsi),
      imei: check.imei('--imei', values.imei),
      ...(values.device === undefined ? {} : { deviceSerial: check.serial('--device', values.device) }),
    };
    const sim = await registryApi(ctx.api()).addSim(body);
    ctx.io.stdout(values.json ? json(sim) : `SIM ${simRow(sim)}\n`);
    return ExitCode.Ok;
  },
};

export const simList: Command = {
  name: 'sim list',
  usage: 'idctl sim list [--status active|suspended|lost|retired] [--after ICCID] [--limit N] [--json]',
  summary: 'list SIMs by ICCID, a page at a time',
  async run(argv, ctx) {
    const { values, positionals: rest } = parseCommandArgs(argv, { status: { type: 'string' }, after: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } }, this.usage);
    positionals(rest, [], this.usage);
    const reply = await registryApi(ctx.api()).listSims({ status: values.status, after: values.after, limit: limitOf(checker(this.usage), values.limit) });
    if (values.json) ctx.io.stdout(json(reply));
    else {
      ctx.io.stdout(lines('ICCID  IMSI  IMEI  STATUS  DEVICE', ...reply.sims.map(simRow)));
      if (reply.next) ctx.io.stdout(`more: idctl sim list --after ${reply.next}\n`);
    }
    return ExitCode.Ok;
  },
};
