import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderNodeConf } from './nats-cluster';

const conf = path.resolve(__dirname, '..', '..', '..', 'deploy', 'cluster', 'nats', 'nats-server.conf');
const ports = { client: 4001, route: 6001, monitor: 8001, leaf: 7001 };

describe('renderNodeConf', () => {
  it('ok/the committed node configuration, on loopback, with local paths and every route', () => {
    const text = renderNodeConf(fs.readFileSync(conf, 'utf8'), ports, [6001, 6002, 6003], '/tmp/tls', '/tmp/store');
    expect(text).toContain('listen: 127.0.0.1:4001');
    expect(text).toContain('http: 127.0.0.1:8001');
    expect(text).toContain('listen: 127.0.0.1:6001');
    expect(text).toContain('listen: 127.0.0.1:7001');
    expect(text).toContain('store_dir: "/tmp/store"');
    expect(text).toContain('"nats-route://127.0.0.1:6002"');
    expect(text).toContain('cert_file: "/tmp/tls/server.pem"');
    expect(text).not.toMatch(/0\.0\.0\.0|\/etc\/nats|nats-\d:/);
  });

  it('fail/a line it replaces is gone from the template', () => {
    expect(() => renderNodeConf('listen: 0.0.0.0:4222\n', ports, [1, 2, 3], '/t', '/s')).toThrow(/no longer has `http: 0\.0\.0\.0:8222`/);
  });
});
