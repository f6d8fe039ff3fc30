import * as path from 'node:path';
import { ConfigError } from '@iis/config';
import { runAgent, RunningAgent } from '@iis/revocation-client';
import type { ReadyMessage } from '@iis/runtime';
import { loadGatewayAgentConfig } from './gateway-agent.config';

/** EX_CONFIG (sysexits.h), as the other services use for a bad setting. */
const EXIT_CONFIG = 78;
/** 128 + SIGINT: a second signal cut the clean stop short. */
const EXIT_INTERRUPTED = 130;

/** Gateway agent: a process around @iis/revocation-client, configured from the environment. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadGatewayAgentConfig();
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`gateway-agent: configuration error: ${e.message}\n`);
    process.exit(EXIT_CONFIG);
  }

  // Listen before starting, so that a signal during start-up still ends in a clean stop.
  let agent: RunningAgent | undefined;
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      process.stderr.write(`gateway-agent: second ${signal}; exiting without a clean stop\n`);
      process.exit(EXIT_INTERRUPTED);
    }
    stopping = true;
    process.stdout.write(`agent: stopping (${signal})\n`);
    // During start-up, main() stops the agent as soon as runAgent has returned it.
    if (agent) void stop(agent);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    agent = await runAgent({ ...config, dir: path.resolve(config.dir) });
  } catch (e) {
    process.stderr.write(`gateway-agent: failed to start: ${(e as Error)?.message ?? String(e)}\n`);
    process.exit(1);
  }
  if (stopping) return stop(agent);
  await agent.ready;
  if (stopping) return;
  process.stdout.write(`agent: ready (dir=${path.resolve(config.dir)})\n`);
  const ready: ReadyMessage = { type: 'ready', service: 'gateway-agent', pid: process.pid };
  process.send?.(ready);
}

async function stop(agent: RunningAgent): Promise<void> {
  try {
    await agent.stop();
    process.stdout.write('agent: stopped\n');
    process.exit(0);
  } catch (e) {
    process.stderr.write(`gateway-agent: did not stop cleanly: ${(e as Error)?.message ?? String(e)}\n`);
    process.exit(1);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`gateway-agent: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
});
