import * as os from 'node:os';
import { ConfigError, Env, EnvReader } from '@iis/config';

export interface GatewayAgentConfig {
  natsUrl: string;
  dir: string;
  name: string;
  httpPort: number | undefined;
  /** AGENT_TRUST_ANCHOR: PEM root(s) revocation signers must chain to; absent, the CA's root as first seen. */
  trustAnchorFile: string | undefined;
}

export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';

/** The agent's environment, read once; a bad or missing variable is an error that names it. */
export function loadGatewayAgentConfig(env: Env = process.env, hostname: () => string = os.hostname): GatewayAgentConfig {
  const read = new EnvReader(env);
  const natsUrl = read.url('NATS_URL', DEFAULT_NATS_URL, ['nats:', 'tls:'])!;
  const dir = read.optional('AGENT_DIR');
  if (dir === undefined) throw new ConfigError('AGENT_DIR', 'is required: the directory for state.bin, ca-chain.pem and crl.pem');
  const name = read.string('AGENT_NAME', hostname());
  const httpPort = read.optional('AGENT_HTTP_PORT') === undefined ? undefined : read.int('AGENT_HTTP_PORT', 0, { min: 1, max: 65535 });
  const trustAnchorFile = read.optional('AGENT_TRUST_ANCHOR');
  return { natsUrl, dir, name, httpPort, trustAnchorFile };
}
