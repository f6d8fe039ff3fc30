import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import * as mqtt from 'mqtt';
import { runAgent, RunningAgent, TlsRevocationGuard } from '@iis/revocation-client';
import { OpensslDevice } from './support/device';
import { run } from './support/run';
import { brokerIdentity } from './support/server-identity';
import { repoRoot, RunningSuite, startSuite } from './support/suite';

// aedes 0.51 is CommonJS; the 1.x line is ESM-only, which jest here cannot load.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createBroker } = require('aedes') as { createBroker: () => { handle: (socket: tls.TLSSocket) => void; close(cb: () => void): void } };

/**
 * A broker written in Node (aedes over node:tls) using the agent library in process:
 * a live session is ended the moment its certificate is revoked, and the reconnect is
 * refused. Real: the suite and its nats-server, the agent library, aedes, mqtt.js clients,
 * openssl/curl enrolling the devices.
 */
const idctl = path.join(repoRoot, 'bin', 'idctl.js');

describe('a Node MQTT broker with the in-process revocation guard', () => {
  let suite: RunningSuite;
  let agent: RunningAgent | undefined;
  let server: tls.Server | undefined;
  let broker: ReturnType<typeof createBroker> | undefined;
  const clients: mqtt.MqttClient[] = [];
  let work: string;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'iis-node-broker-'));
    suite = await startSuite();
  });

  afterAll(async () => {
    for (const c of clients) c.end(true);
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    await new Promise<void>((r) => (broker ? broker.close(() => r()) : r()));
    await agent?.stop();
    if (suite) await suite.stop();
  });

  it('ends the live session on revocation and refuses the reconnect', async () => {
    const idctlRun = (...args: string[]) => run(process.execPath, [idctl, ...args], { env: suite.idctlEnv });
    const caFile = path.join(work, 'ca.pem');
    run('curl', ['-s', '-f', '-o', caFile, `${suite.caUrl}/ca/chain.pem`]);
    const enroll = (serial: string, iccid: string, imei: string) => {
      const added = JSON.parse(idctlRun('device', 'add', '--serial', serial, '--iccid', iccid, '--imsi', '234150999999999', '--imei', imei, '--json').stdout);
      const dev = new OpensslDevice(work, serial.toLowerCase());
      const res = dev.enroll(suite.estUrl, caFile, serial, added.secret.secret);
      expect(res.status).toBe(200);
      return { cert: dev.certificateFromResponse(res.bodyFile), key: dev.keyFile };
    };
    const lostDevice = enroll('SN-A', '89441000303122845215', '490154203237518');
    const otherDevice = enroll('SN-B', '89441000303122845223', '352099001761481');

    const logs: string[] = [];
    agent = await runAgent({ natsUrl: suite.natsUrl, dir: path.join(work, 'agent'), name: 'node-broker', log: (l) => logs.push(l) });
    await agent.ready;
    const guard = new TlsRevocationGuard(agent);

    const identity = await brokerIdentity(suite.natsUrl, work);
    broker = createBroker();
    server = tls.createServer(
      { key: fs.readFileSync(identity.keyFile), cert: fs.readFileSync(identity.certFile), ca: fs.readFileSync(caFile), requestCert: true, rejectUnauthorized: true },
      (socket) => {
        if (guard.admit(socket)) broker!.handle(socket);
      },
    );
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    const connect = (d: { cert: string; key: string }, clientId: string) =>
      mqtt.connectAsync(`mqtts://localhost:${port}`, {
        ca: fs.readFileSync(caFile), cert: fs.readFileSync(d.cert), key: fs.readFileSync(d.key), clientId, reconnectPeriod: 0, connectTimeout: 5000,
      });

    /** Connects once: 'connected' on CONNACK, 'refused' if the broker drops the connection first. */
    const attempt = (d: { cert: string; key: string }, clientId: string) =>
      new Promise<'connected' | 'refused'>((resolve) => {
        const c = mqtt.connect(`mqtts://localhost:${port}`, {
          ca: fs.readFileSync(caFile), cert: fs.readFileSync(d.cert), key: fs.readFileSync(d.key), clientId, reconnectPeriod: 0, connectTimeout: 5000,
        });
        clients.push(c);
        c.once('connect', () => resolve('connected'));
        c.once('close', () => resolve('refused'));
        c.once('error', () => resolve('refused'));
      });

    const live = await connect(lostDevice, 'SN-A');
    clients.push(live);
    const bystander = await connect(otherDevice, 'SN-B');
    clients.push(bystander);
    expect(guard.liveSessions()).toBe(2);
    const closed = new Promise<void>((resolve) => live.once('close', () => resolve()));

    expect(idctlRun('sim', 'report-lost', '89441000303122845215', '--reason', 'stolen').code).toBe(0);
    await Promise.race([closed, new Promise((_, reject) => setTimeout(() => reject(new Error(`session not ended:\n${logs.join('\n')}`)), 15_000).unref())]);

    // The reconnect is refused; the other device is untouched and can still connect.
    await expect(attempt(lostDevice, 'SN-A-again')).resolves.toBe('refused');
    expect(bystander.connected).toBe(true);
    const again = await connect(otherDevice, 'SN-B-2');
    clients.push(again);
    expect(again.connected).toBe(true);
  });
});
