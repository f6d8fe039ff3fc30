import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliError, ExitCode } from './exit-codes';

/** Exit 2: no usable token. Never carries the token itself. */
export class CredentialsError extends CliError {
  constructor(message: string, hints: string[] = []) {
    super(ExitCode.Usage, message, hints);
    this.name = 'CredentialsError';
  }
}

export interface ResolvedToken {
  token: string;
  /** Where it came from, for messages: `IDCTL_TOKEN` or a file path. Never the token. */
  source: string;
  /** Printed on stderr before the command runs. */
  warnings: string[];
}

export const TOKEN_FILE_NAME = 'operator-token';

/**
 * The operator token, never from a command-line argument (it would show in `ps`):
 * 1. `IDCTL_TOKEN`;
 * 2. else the file named by `IDCTL_TOKEN_FILE` (an error if it cannot be read: no silent fallback);
 * 3. else `<DATA_DIR or ./data>/operator-token`, which the suite writes on first start.
 * A token file that group or others may access gives a warning, not a refusal.
 */
export function resolveToken(
  env: NodeJS.ProcessEnv,
  cwd: string = process.cwd(),
  platform: NodeJS.Platform = process.platform,
): ResolvedToken {
  const direct = nonEmpty(env.IDCTL_TOKEN);
  if (direct !== undefined) return { token: checkToken(direct.trim(), 'IDCTL_TOKEN'), source: 'IDCTL_TOKEN', warnings: [] };

  const named = nonEmpty(env.IDCTL_TOKEN_FILE);
  if (named !== undefined) {
    const file = path.resolve(cwd, named);
    return fromFile(file, `IDCTL_TOKEN_FILE (${file})`, readTokenFile(file), platform);
  }

  const file = path.join(path.resolve(cwd, nonEmpty(env.DATA_DIR) ?? 'data'), TOKEN_FILE_NAME);
  const read = readTokenFile(file);
  if ('errorCode' in read && read.errorCode === 'ENOENT') {
    throw new CredentialsError('no operator token found', [
      'set IDCTL_TOKEN to the token, or IDCTL_TOKEN_FILE to a file holding it,',
      `or run idctl where the suite's data directory is (looked for ${file}; DATA_DIR moves it).`,
      'The token is never taken from the command line.',
    ]);
  }
  return fromFile(file, file, read, platform);
}

type FileRead = { text: string; mode: number } | { errorCode: string };

function readTokenFile(file: string): FileRead {
  try {
    const mode = fs.statSync(file).mode;
    return { text: fs.readFileSync(file, 'utf8'), mode };
  } catch (e) {
    return { errorCode: (e as NodeJS.ErrnoException).code ?? (e as Error).message };
  }
}

function fromFile(file: string, label: string, read: FileRead, platform: NodeJS.Platform): ResolvedToken {
  if ('errorCode' in read) throw new CredentialsError(`cannot read the token file ${label}: ${read.errorCode}`);
  const warnings: string[] = [];
  // POSIX permission bits mean nothing on Windows.
  if (platform !== 'win32' && (read.mode & 0o077) !== 0) {
    const octal = (read.mode & 0o777).toString(8).padStart(4, '0');
    warnings.push(`warning: token file ${file} is accessible by group or others (mode ${octal}); run: chmod 600 ${file}`);
  }
  return { token: checkToken(read.text.trim(), label), source: file, warnings };
}

/** One line of visible ASCII: anything else cannot go in an Authorization header. */
function checkToken(token: string, label: string): string {
  if (token === '') throw new CredentialsError(`the token from ${label} is empty`);
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new CredentialsError(`the token from ${label} contains spaces, line breaks or non-ASCII characters`);
  }
  return token;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
