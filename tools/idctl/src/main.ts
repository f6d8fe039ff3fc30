import { UsageError } from './args';
import { commands } from './commands';
import { EXIT_INTERRUPTED } from './commands/agent';
import { commandUsage, usageText } from './commands/help';
import { Command, createContext, defaultDeps, Deps, Io } from './context';
import { CliError, ExitCode } from './exit-codes';
import { clean } from './output';

/**
 * Runs one idctl invocation and returns its exit code; never throws, never exits.
 * `deps` replaces the outside world (fetch, clock, signals, the agent library) in specs.
 */
export async function run(argv: string[], env: NodeJS.ProcessEnv, io: Io, deps: Partial<Deps> = {}): Promise<number> {
  try {
    if (argv.length === 0 || ['help', '--help', '-h'].includes(argv[0])) {
      io.stdout(usageText(commands));
      return ExitCode.Ok;
    }
    const { command, rest } = findCommand(argv);
    if (wantsHelp(rest)) {
      io.stdout(commandUsage(command));
      return ExitCode.Ok;
    }
    return await command.run(rest, createContext(env, io, { ...defaultDeps, ...deps }));
  } catch (e) {
    return report(e, io);
  }
}

/** The longest command name that starts argv: `device add …` → deviceAdd. */
function findCommand(argv: string[]): { command: Command; rest: string[] } {
  for (const command of commands) {
    const words = command.name.split(' ');
    if (words.every((word, i) => argv[i] === word)) return { command, rest: argv.slice(words.length) };
  }
  const group = commands.filter((c) => c.name.split(' ')[0] === argv[0]);
  if (group.length > 0) {
    const what = argv[1] === undefined ? `missing ${argv[0]} command` : `unknown ${argv[0]} command "${clean(argv[1])}"`;
    throw new UsageError(what, group.map((c) => c.usage).join('\n       '));
  }
  throw new UsageError(`unknown command "${clean(argv[0])}"`);
}

/** `--help` or `-h` among the command's own arguments (not after `--`). */
function wantsHelp(args: string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

/** The one place an error becomes stderr lines and an exit code. */
function report(e: unknown, io: Io): number {
  if (e instanceof UsageError) {
    io.stderr(`idctl: ${e.message}\n`);
    io.stderr(e.usage ? `usage: ${e.usage}\n` : 'run "idctl help" for the commands and options\n');
    return e.exitCode;
  }
  if (e instanceof CliError) {
    io.stderr(`idctl: ${e.message}\n`);
    for (const hint of e.hints) io.stderr(`idctl: ${hint}\n`);
    return e.exitCode;
  }
  io.stderr(`idctl: unexpected error: ${(e as Error)?.stack ?? String(e)}\n`);
  return ExitCode.Refused;
}

/** The process wiring; bin/idctl.js calls this. */
export function main(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    // `idctl cert list | head`: the reader went away; that is not an error.
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? ExitCode.Ok);
    throw e;
  });
  const io: Io = { stdout: (s) => void process.stdout.write(s), stderr: (s) => void process.stderr.write(s), stderrIsTTY: process.stderr.isTTY === true };
  void run(process.argv.slice(2), process.env, io).then((code) => {
    process.exitCode = code;
    if (code === EXIT_INTERRUPTED) process.exit(code);
    // Let stdout drain and exit naturally; only a stray handle (a kept-alive socket, a NATS
    // timer) could hold the loop open, and this unref'd timer ends that.
    setTimeout(() => process.exit(code), 2000).unref();
  });
}

if (require.main === module) main();
