import { parseArgs, ParseArgsConfig } from 'node:util';
import { redact } from '@iis/config';
import { CliError, ExitCode } from './exit-codes';
import { clean } from './output';

/** Exit 2. `usage` is the command's own usage line, printed after the message when known. */
export class UsageError extends CliError {
  constructor(
    message: string,
    readonly usage?: string,
  ) {
    super(ExitCode.Usage, message);
    this.name = 'UsageError';
  }
}

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/**
 * Strict parseArgs over one command's arguments: unknown options, a value that looks like an
 * option (`--serial --iccid …`), and an option given twice are usage errors, never a guess.
 */
export function parseCommandArgs<O extends OptionsConfig>(argv: string[], options: O, usage: string) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: true, tokens: true });
  } catch (e) {
    throw new UsageError(describeParseError(e), usage);
  }
  const seen = new Set<string>();
  for (const token of parsed.tokens) {
    if (token.kind !== 'option' || options[token.name]?.multiple) continue;
    if (seen.has(token.name)) throw new UsageError(`--${token.name} given more than once`, usage);
    seen.add(token.name);
  }
  return { values: parsed.values, positionals: parsed.positionals };
}

function describeParseError(e: unknown): string {
  const err = e as Error & { code?: string };
  const option = /'(-[^' ]+)/.exec(err.message)?.[1];
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${option ?? ''}`.trim();
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return 'unexpected argument';
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (option && /argument missing/.test(err.message)) return `${option} needs a value`;
      if (option && /ambiguous/.test(err.message)) return `${option} needs a value (got another option instead)`;
      return err.message;
    default:
      return err.message;
  }
}

/** Ids the suite makes (devices, tokens, operator certificates, attestation results): RFC 9562 UUID text. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Exactly `names.length` positionals, returned in order. */
export function positionals(values: string[], names: string[], usage: string): string[] {
  if (values.length < names.length) throw new UsageError(`missing ${names[values.length]}`, usage);
  if (values.length > names.length) throw new UsageError(`unexpected argument "${printable(values[names.length])}"`, usage);
  return values;
}

/**
 * Shape checks before any request; the server validates again. Each check names the option
 * (`--iccid`, `<serial>`) in its message, and treats a missing value as "is required": an
 * optional option is checked only when given.
 */
export function checker(usage?: string) {
  const fail = (message: string): never => {
    throw new UsageError(message, usage);
  };
  const present = (name: string, value: string | undefined): string => (value === undefined ? fail(`${name} is required`) : value);
  const digits = (name: string, raw: string | undefined, min: number, max: number): string => {
    const value = present(name, raw);
    if (!/^\d+$/.test(value) || value.length < min || value.length > max) {
      fail(`${name} must be ${min === max ? `${min} digits` : `${min} to ${max} digits`}, got "${printable(value)}"`);
    }
    return value;
  };

  const check = {
    /** Non-empty, not only spaces, no control characters. */
    text(name: string, raw: string | undefined): string {
      const value = present(name, raw);
      if (value.trim() === '') fail(`${name} must not be empty`);
      if (/[\x00-\x1f\x7f]/.test(value)) fail(`${name} must not contain control characters`);
      return value;
    },
    serial(name: string, raw: string | undefined): string {
      return check.text(name, raw);
    },
    /** ITU-T E.118: 18 to 22 digits (19-20 in practice, Luhn digit included). */
    iccid: (name: string, raw: string | undefined) => digits(name, raw, 18, 22),
    /** ITU-T E.212: MCC + MNC + MSIN, at most 15 digits. */
    imsi: (name: string, raw: string | undefined) => digits(name, raw, 6, 15),
    /** 3GPP TS 23.003: 14 digits + check digit. */
    imei: (name: string, raw: string | undefined) => digits(name, raw, 15, 15),
    /** A whole number of seconds, at least 1. */
    seconds(name: string, raw: string | undefined): number {
      const value = present(name, raw);
      if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
        fail(`${name} must be a whole number of seconds >= 1, got "${printable(value)}"`);
      }
      return Number(value);
    },
    port(name: string, raw: string | undefined): number {
      const value = present(name, raw);
      if (!/^\d+$/.test(value) || Number(value) > 65535) fail(`${name} must be a port number 0-65535, got "${printable(value)}"`);
      return Number(value);
    },
    /** Usable as a NATS client or consumer name: letters, digits, '-' and '_'. */
    name(name: string, raw: string | undefined): string {
      const value = present(name, raw);
      if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(value)) {
        fail(`${name} must be 1-64 letters, digits, '-' or '_', got "${printable(value)}"`);
      }
      return value;
    },
    url(name: string, raw: string | undefined, protocols: string[]): string {
      const value = present(name, raw);
      let protocol: string;
      try {
        protocol = new URL(value).protocol;
      } catch {
        return fail(`${name} is not a URL: "${printable(redact(value))}"`);
      }
      if (!protocols.includes(protocol)) fail(`${name} must be a ${protocols.join(' or ')} URL, got "${printable(protocol)}"`);
      return value;
    },
  };
  return check;
}

/** Echoes user input in a message, shortened and without control characters. */
function printable(value: string): string {
  return clean(value.length > 40 ? `${value.slice(0, 40)}…` : value, '');
}
