import { ConfigError } from '@iis/config';
import { DEFAULT_NATS_URL, loadGatewayAgentConfig } from './gateway-agent.config';

const host = () => 'gw-7';

describe('gateway agent config', () => {
  it('ok/defaults: local NATS, the host name, no HTTP check', () => {
    expect(loadGatewayAgentConfig({ AGENT_DIR: '/var/lib/agent' }, host)).toEqual({
      natsUrl: DEFAULT_NATS_URL, dir: '/var/lib/agent', name: 'gw-7', httpPort: undefined,
    });
  });

  it('ok/every variable set', () => {
    const env = { AGENT_DIR: 'd', NATS_URL: 'tls://nats.example:4222', AGENT_NAME: 'edge', AGENT_HTTP_PORT: '8099' };
    expect(loadGatewayAgentConfig(env, host)).toEqual({ natsUrl: 'tls://nats.example:4222', dir: 'd', name: 'edge', httpPort: 8099 });
  });

  it.each([
    ['fail/AGENT_DIR missing', {}, 'AGENT_DIR'],
    ['fail/AGENT_DIR empty', { AGENT_DIR: '' }, 'AGENT_DIR'],
    ['fail/NATS_URL not a NATS URL', { AGENT_DIR: 'd', NATS_URL: 'http://x' }, 'NATS_URL'],
    ['fail/AGENT_HTTP_PORT not a number', { AGENT_DIR: 'd', AGENT_HTTP_PORT: 'eighty' }, 'AGENT_HTTP_PORT'],
    ['fail/AGENT_HTTP_PORT out of range', { AGENT_DIR: 'd', AGENT_HTTP_PORT: '70000' }, 'AGENT_HTTP_PORT'],
  ])('%s', (_name, env, variable) => {
    let error: unknown;
    try {
      loadGatewayAgentConfig(env, host);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ variable });
  });
});
