/**
 * idctl's exit codes, and the one place an HTTP status becomes one of them.
 * Scripts rely on these numbers; the usage text documents them.
 */
export enum ExitCode {
  /** The command did what was asked. */
  Ok = 0,
  /** The operator API refused the request (HTTP 4xx). */
  Refused = 1,
  /** Usage error: unknown command, missing or invalid option, missing credentials or settings. */
  Usage = 2,
  /** The operator API (or, for `agent`, NATS) is unreachable, or it answered 5xx or nonsense. */
  Unavailable = 3,
}

/** 4xx means the API understood and said no; anything else that is not 2xx means it failed. */
export function exitCodeForHttpStatus(status: number): ExitCode {
  if (status >= 200 && status < 300) return ExitCode.Ok;
  if (status >= 400 && status < 500) return ExitCode.Refused;
  return ExitCode.Unavailable;
}

/**
 * An error the CLI expects and reports in one or two lines, without a stack.
 * `message` is printed as `idctl: <message>`, then each hint as `idctl: <hint>`.
 */
export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
    readonly hints: string[] = [],
  ) {
    super(message);
    this.name = 'CliError';
  }
}
