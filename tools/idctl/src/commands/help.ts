import type { Command } from '../context';

/** The usage text: every command from the registry, the settings it reads, and the exit codes. */
export function usageText(commands: Command[]): string {
  const rows = commands.map((c) => `  ${c.usage.replace(/^idctl /, '')}\n      ${c.summary}`);
  return `idctl: the security team's CLI for the IoT identity suite (talks to the operator API)

usage: idctl <command> [options]

commands:
${rows.join('\n')}
  help
      this text (also: idctl --help, idctl <command> --help)

--json prints machine-readable JSON instead of the short human lines.

environment:
  IDCTL_API_URL          operator API base URL (default http://127.0.0.1:8080/api/v1)
  IDCTL_TOKEN            operator token; never given as an argument, it would show in ps.
  IDCTL_TOKEN_FILE       else, a file holding the token;
                         else <DATA_DIR or ./data>/operator-token, written by the suite on first start
  IDCTL_TIMEOUT_SECONDS  how long to wait for the API (default 30)
  NATS_URL               NATS for \`agent\` when --nats is not given (default nats://127.0.0.1:4222)

exit codes:
    0  success
    1  the API refused the request (HTTP 4xx); printed as "idctl: <code>: <message>"
    2  usage error: unknown command, missing or invalid option or setting, no token
    3  the API is unreachable or failed (HTTP 5xx); for \`agent\`, NATS or the agent failed
  130  \`agent\` only: a second SIGINT/SIGTERM cut a slow stop short
`;
}

/** One command's usage, for `idctl <command> --help` and after a usage error. */
export function commandUsage(command: Command): string {
  return `usage: ${command.usage}\n  ${command.summary}\n`;
}
