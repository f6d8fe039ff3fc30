import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AgentOptions, RunningAgent } from './commands/agent';
import type { Deps } from './context';
import { ExitCode } from './exit-codes';
import { run } from './main';
import { fixtures } from './testing/fixtures';
import { StubApi } from './testing/stub-api';

// The whole CLI through run(), as bin/idctl.js calls it. The operator API is a real node:http
// server on a random port answering canned JSON (the real API is covered by the e2e tests).
// For `agent`, the revocation-client library and the signal source are fakes: what is tested
// here is the CLI's wiring, not NATS.
describe('idctl run()', () => {
  const now = new Date();
  const f = fixtures(now);
  let api: StubApi;

  beforeEach(async () => {
    api = new StubApi();
    await api.start();
  });
  afterEach(() => api.stop());

  async function idctl(argv: string[], env: NodeJS.ProcessEnv = {}, deps: Partial<Deps> = {}) {
    let out = '';
    let err = '';
    const code = await run(
      argv,
      { IDCTL_API_URL: api.url, IDCTL_TOKEN: 'tok-123', ...env },
      { stdout: (s) => (out += s), stderr: (s) => (err += s) },
      { now: () => now, ...deps },
    );
    return { code, out, err };
  }

  const sim = ['--iccid', f.sim.iccid, '--imsi', f.sim.imsi, '--imei', f.sim.imei];

  describe('usage', () => {
    it.each([
      ['ok/help', ['help']],
      ['ok/--help', ['--help']],
      ['ok/-h', ['-h']],
      ['ok/no-arguments', []],
    ])('%s prints every command and the exit codes, exit 0', async (_name, argv) => {
      const r = await idctl(argv);
      expect(r.code).toBe(ExitCode.Ok);
      for (const command of ['device add', 'device show', 'secret create', 'sim show', 'sim report-lost', 'cert list', 'agent']) {
        expect(r.out).toContain(`  ${command}`);
      }
      expect(r.out).toMatch(/exit codes:\n +0 {2}success\n +1 {2}.*4xx.*\n +2 {2}usage error.*\n +3 {2}.*5xx/);
      expect(r.err).toBe('');
    });

    it('<command> --help prints that command only, exit 0, no request', async () => {
      const r = await idctl(['sim', 'report-lost', '--help']);
      expect(r).toMatchObject({ code: ExitCode.Ok, out: expect.stringContaining('usage: idctl sim report-lost <iccid> --reason') });
      expect(api.requests).toHaveLength(0);
    });

    it.each([
      ['fail/unknown-command', ['frobnicate'], 'idctl: unknown command "frobnicate"', 'run "idctl help"'],
      ['fail/missing-subcommand', ['device'], 'idctl: missing device command', 'usage: idctl device add'],
      ['fail/unknown-subcommand', ['sim', 'delete', '1'], 'idctl: unknown sim command "delete"', 'idctl sim report-lost'],
    ])('%s exits 2 with a hint', async (_name, argv, message, hint) => {
      const r = await idctl(argv);
      expect(r.code).toBe(ExitCode.Usage);
      expect(r.err).toContain(message);
      expect(r.err).toContain(hint);
    });
  });

  describe('arguments are checked before any request', () => {
    it.each<[string, string[], string]>([
      ['fail/add-no-serial', ['device', 'add', ...sim], '--serial is required'],
      ['fail/add-empty-serial', ['device', 'add', '--serial', '', ...sim], '--serial must not be empty'],
      ['fail/add-no-iccid', ['device', 'add', '--serial', 'SN-1', '--imsi', f.sim.imsi, '--imei', f.sim.imei], '--iccid is required'],
      ['fail/add-short-iccid', ['device', 'add', '--serial', 'SN-1', ...sim.slice(2), '--iccid', '123'], '--iccid must be 18 to 22 digits'],
      ['fail/add-bad-imsi', ['device', 'add', '--serial', 'SN-1', ...sim.slice(0, 2), '--imsi', '12x', ...sim.slice(4)], '--imsi must be 6 to 15 digits'],
      ['fail/add-bad-imei', ['device', 'add', '--serial', 'SN-1', ...sim.slice(0, 4), '--imei', '1234'], '--imei must be 15 digits'],
      ['fail/add-empty-class', ['device', 'add', '--serial', 'SN-1', ...sim, '--class', ' '], '--class must not be empty'],
      ['fail/add-unknown-option', ['device', 'add', '--serial', 'SN-1', ...sim, '--token', 'x'], 'unknown option --token'],
      ['fail/add-stray-argument', ['device', 'add', 'SN-1', '--serial', 'SN-1', ...sim], 'unexpected argument "SN-1"'],
      ['fail/show-no-serial', ['device', 'show'], 'missing <serial>'],
      ['fail/show-two-serials', ['device', 'show', 'a', 'b'], 'unexpected argument "b"'],
      ['fail/secret-bad-ttl', ['secret', 'create', 'SN-1', '--ttl', '1h'], '--ttl must be a whole number of seconds'],
      ['fail/sim-show-bad-iccid', ['sim', 'show', '89441'], '<iccid> must be 18 to 22 digits'],
      ['fail/report-lost-no-reason', ['sim', 'report-lost', f.sim.iccid], '--reason is required'],
      ['fail/report-lost-empty-reason', ['sim', 'report-lost', f.sim.iccid, '--reason', ''], '--reason must not be empty'],
      ['fail/cert-list-bad-iccid', ['cert', 'list', '--iccid', 'abc'], '--iccid must be 18 to 22 digits'],
      ['fail/agent-no-dir', ['agent'], '--dir is required'],
      ['fail/agent-bad-port', ['agent', '--dir', '/tmp/x', '--http-port', '99999'], '--http-port must be a port number'],
      ['fail/agent-bad-nats', ['agent', '--dir', '/tmp/x', '--nats', 'http://x:4222'], '--nats must be a nats: or tls: URL'],
      ['fail/agent-bad-name', ['agent', '--dir', '/tmp/x', '--name', 'a.b'], '--name must be'],
    ])('%s', async (_name, argv, message) => {
      const r = await idctl(argv);
      expect(r.code).toBe(ExitCode.Usage);
      expect(r.err).toContain(`idctl: ${message}`);
      expect(r.err).toMatch(/\nusage: idctl /);
      expect(r.out).toBe('');
      expect(api.requests).toHaveLength(0);
    });

    it.each<[string, string[], string, string, unknown]>([
      ['ok/add', ['device', 'add', '--serial', 'SN-0001', ...sim, '--no-secret'], 'POST', '/devices', { serial: 'SN-0001', sim: { iccid: f.sim.iccid, imsi: f.sim.imsi, imei: f.sim.imei } }],
      ['ok/add-class', ['device', 'add', '--serial=SN-0001', ...sim, '--class', 'meter', '--no-secret'], 'POST', '/devices', { serial: 'SN-0001', deviceClass: 'meter', sim: { iccid: f.sim.iccid, imsi: f.sim.imsi, imei: f.sim.imei } }],
      ['ok/show-encoded', ['device', 'show', 'SN 1/2'], 'GET', '/devices/SN%201%2F2', undefined],
      ['ok/secret-ttl', ['secret', 'create', 'SN-0001', '--ttl', '900'], 'POST', '/devices/SN-0001/enrollment-secrets', { ttlSeconds: 900 }],
      ['ok/secret-default-ttl', ['secret', 'create', 'SN-0001'], 'POST', '/devices/SN-0001/enrollment-secrets', {}],
      ['ok/sim-show', ['sim', 'show', f.sim.iccid], 'GET', `/sims/${f.sim.iccid}`, undefined],
      ['ok/report-lost', ['sim', 'report-lost', f.sim.iccid, '--reason', 'stolen'], 'POST', `/sims/${f.sim.iccid}/report-lost`, { reason: 'stolen' }],
      ['ok/cert-list-all', ['cert', 'list'], 'GET', '/certificates', undefined],
      ['ok/cert-list-filters', ['cert', 'list', '--device', '7c9e6679-7425-40de-944b-e07fc1f90ae7', '--iccid', f.sim.iccid], 'GET', `/certificates?deviceId=7c9e6679-7425-40de-944b-e07fc1f90ae7&iccid=${f.sim.iccid}`, undefined],
    ])('%s', async (_name, argv, method, url, body) => {
      api
        .on('POST', '/devices', 201, f.device)
        .on('GET', '/devices/SN%201%2F2', 200, f.device)
        .on('POST', '/devices/SN-0001/enrollment-secrets', 201, f.secret)
        .on('GET', `/sims/${f.sim.iccid}`, 200, f.sim)
        .on('POST', `/sims/${f.sim.iccid}/report-lost`, 200, f.lost)
        .on('GET', url, 200, { certificates: f.certificates });
      const r = await idctl(argv);
      expect(r.err).toBe('');
      expect(r.code).toBe(ExitCode.Ok);
      expect(api.requests).toEqual([expect.objectContaining({ method, url, body })]);
      expect(api.requests[0].headers.authorization).toBe('Bearer tok-123');
    });
  });

  describe('device add', () => {
    it('registers, then creates and prints the one-time secret', async () => {
      api.on('POST', '/devices', 201, f.device).on('POST', '/devices/SN-0001/enrollment-secrets', 201, f.secret);
      const r = await idctl(['device', 'add', '--serial', 'SN-0001', ...sim]);
      expect(r.code).toBe(ExitCode.Ok);
      expect(api.requests.map((q) => `${q.method} ${q.url}`)).toEqual(['POST /devices', 'POST /devices/SN-0001/enrollment-secrets']);
      expect(r.out).toBe(
        'device  SN-0001  id=dev-1  status=pending\n' +
          'sim     8944100000000000001  imsi=234100000000001 imei=490154203237518\n' +
          `secret  est-7Hq2-secret  (one-time, expires ${f.secret.expiresAt}; shown only once)\n`,
      );
    });

    it('--json prints {device, secret}', async () => {
      api.on('POST', '/devices', 201, f.device).on('POST', '/devices/SN-0001/enrollment-secrets', 201, f.secret);
      const r = await idctl(['device', 'add', '--serial', 'SN-0001', ...sim, '--json']);
      expect(r.code).toBe(ExitCode.Ok);
      expect(JSON.parse(r.out)).toEqual({ device: f.device, secret: f.secret });
    });

    it('--no-secret --json prints secret: null and makes one request', async () => {
      api.on('POST', '/devices', 201, f.device);
      const r = await idctl(['device', 'add', '--serial', 'SN-0001', ...sim, '--no-secret', '--json']);
      expect(JSON.parse(r.out)).toEqual({ device: f.device, secret: null });
      expect(api.requests).toHaveLength(1);
    });

    it('a duplicate serial exits 1 with the API code', async () => {
      api.on('POST', '/devices', 409, { error: { code: 'CONFLICT', message: 'serial SN-0001 is already registered' } });
      const r = await idctl(['device', 'add', '--serial', 'SN-0001', ...sim]);
      expect(r).toMatchObject({ code: ExitCode.Refused, out: '', err: 'idctl: CONFLICT: serial SN-0001 is already registered\n' });
    });

    it('when the secret fails after the device was registered, it shows the device and how to get a secret', async () => {
      api.on('POST', '/devices', 201, f.device).on('POST', '/devices/SN-0001/enrollment-secrets', 503, { error: { code: 'UNAVAILABLE', message: 'onboarding not answering' } });
      const r = await idctl(['device', 'add', '--serial', 'SN-0001', ...sim]);
      expect(r.code).toBe(ExitCode.Unavailable);
      expect(r.out).toContain('device  SN-0001  id=dev-1');
      expect(r.err).toContain('idctl: UNAVAILABLE: onboarding not answering\n');
      expect(r.err).toContain('run: idctl secret create SN-0001');
    });
  });

  describe('other commands, human and --json', () => {
    it('device show', async () => {
      api.on('GET', '/devices/SN-0001', 200, f.device);
      expect((await idctl(['device', 'show', 'SN-0001'])).out).toContain('class   gateway');
      expect(JSON.parse((await idctl(['device', 'show', 'SN-0001', '--json'])).out)).toEqual(f.device);
    });

    it('secret create', async () => {
      api.on('POST', '/devices/SN-0001/enrollment-secrets', 201, f.secret);
      expect((await idctl(['secret', 'create', 'SN-0001'])).out).toContain('secret  est-7Hq2-secret  (one-time');
      expect(JSON.parse((await idctl(['secret', 'create', 'SN-0001', '--json'])).out)).toEqual(f.secret);
    });

    it('sim show', async () => {
      api.on('GET', `/sims/${f.sim.iccid}`, 200, f.sim);
      expect((await idctl(['sim', 'show', f.sim.iccid])).out).toContain('status=active  device=dev-1');
      expect(JSON.parse((await idctl(['sim', 'show', f.sim.iccid, '--json'])).out)).toEqual(f.sim);
    });

    it('sim report-lost: lists each revoked serial', async () => {
      api.on('POST', `/sims/${f.sim.iccid}/report-lost`, 200, f.lost);
      const r = await idctl(['sim', 'report-lost', f.sim.iccid, '--reason', 'stolen from site 4']);
      expect(r.code).toBe(ExitCode.Ok);
      expect(r.out).toContain('revoked 0a1b2c  issuer=issuing-1  seq=41\nrevoked 0a1b2d');
      expect(JSON.parse((await idctl(['sim', 'report-lost', f.sim.iccid, '--reason', 'x', '--json'])).out)).toEqual(f.lost);
    });

    it('sim report-lost twice: exit 0, "nothing changed"', async () => {
      api.on('POST', `/sims/${f.sim.iccid}/report-lost`, 200, { ...f.lost, alreadyLost: true, revoked: [] });
      const r = await idctl(['sim', 'report-lost', f.sim.iccid, '--reason', 'stolen']);
      expect(r.code).toBe(ExitCode.Ok);
      expect(r.out).toContain('already reported lost; nothing changed');
    });

    it('cert list: state against the injected clock; --device takes the serial, looked up to its id', async () => {
      api.on('GET', `/devices/${f.device.serial}`, 200, f.device);
      api.on('GET', `/certificates?deviceId=${f.device.id}`, 200, { certificates: f.certificates });
      const r = await idctl(['cert', 'list', '--device', f.device.serial]);
      expect(r.out.split('\n').map((l) => l.split(/ {2,}/).pop())).toEqual(['STATE', 'valid', 'expired', `revoked ${f.certificates[2].revokedAt}`, '']);
      expect(JSON.parse((await idctl(['cert', 'list', '--device', f.device.serial, '--json'])).out)).toEqual({ certificates: f.certificates });
    });

    it('cert list --device with a device id asks for it as it is', async () => {
      const id = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
      api.on('GET', `/certificates?deviceId=${id}`, 200, { certificates: [] });
      expect((await idctl(['cert', 'list', '--device', id, '--json'])).out).toContain('"certificates": []');
    });

    it('cert list --device that no device has as serial is taken as a device id', async () => {
      api.on('GET', '/devices/idem-1', 404, { error: { code: 'NOT_FOUND', message: 'no device with serial idem-1' } });
      api.on('GET', '/certificates?deviceId=idem-1', 200, { certificates: [] });
      const r = await idctl(['cert', 'list', '--device', 'idem-1', '--json']);
      expect(r.code).toBe(ExitCode.Ok);
      expect(JSON.parse(r.out)).toEqual({ certificates: [] });
    });

    it('cert list --device: a registry failure other than not-found stops it', async () => {
      api.on('GET', '/devices/SN-0001', 503, { error: { code: 'UNAVAILABLE', message: 'onboarding not answering' } });
      const r = await idctl(['cert', 'list', '--device', 'SN-0001']);
      expect(r.code).toBe(ExitCode.Unavailable);
      expect(api.requests.map((q) => q.url)).toEqual(['/devices/SN-0001']);
    });
  });

  describe('API failures and exit codes', () => {
    it('4xx: exit 1, "idctl: <code>: <message>"', async () => {
      api.on('GET', '/devices/SN-9', 404, { error: { code: 'NOT_FOUND', message: 'no device with serial SN-9' } });
      expect(await idctl(['device', 'show', 'SN-9'])).toEqual({ code: ExitCode.Refused, out: '', err: 'idctl: NOT_FOUND: no device with serial SN-9\n' });
    });

    it('401: exit 1 and names where the token came from', async () => {
      api.on('GET', '/devices/SN-9', 401, { error: { code: 'UNAUTHORIZED', message: 'invalid token' } });
      const r = await idctl(['device', 'show', 'SN-9']);
      expect(r.code).toBe(ExitCode.Refused);
      expect(r.err).toBe('idctl: UNAUTHORIZED: invalid token\nidctl: the token came from IDCTL_TOKEN\n');
    });

    it('5xx: exit 3 and the URL it tried', async () => {
      api.on('POST', `/sims/${f.sim.iccid}/report-lost`, 503, { error: { code: 'UNAVAILABLE', message: 'revocation service not answering' } });
      const r = await idctl(['sim', 'report-lost', f.sim.iccid, '--reason', 'x']);
      expect(r.code).toBe(ExitCode.Unavailable);
      expect(r.err).toContain('idctl: UNAVAILABLE: revocation service not answering\n');
      expect(r.err).toContain(`${api.url}/sims/${f.sim.iccid}/report-lost`);
    });

    it('unreachable: exit 3 and the URL it tried', async () => {
      const gone = new StubApi();
      const url = await gone.start();
      await gone.stop();
      const r = await idctl(['device', 'show', 'SN-1'], { IDCTL_API_URL: url });
      expect(r.code).toBe(ExitCode.Unavailable);
      expect(r.err).toContain(`idctl: cannot use the operator API at ${url}/devices/SN-1: ECONNREFUSED`);
    });

    it.each([
      ['fail/not-a-url', '127.0.0.1 port 8080', 'IDCTL_API_URL is not a URL'],
      ['fail/wrong-scheme', 'ftp://127.0.0.1/api/v1', 'IDCTL_API_URL must be a http: or https: URL'],
      ['fail/credentials-in-url', 'http://admin:pw@127.0.0.1:8080/api/v1', 'IDCTL_API_URL must not contain a user or password'],
    ])('bad IDCTL_API_URL %s: exit 2 naming the variable', async (_name, value, message) => {
      const r = await idctl(['device', 'show', 'SN-1'], { IDCTL_API_URL: value });
      expect(r.code).toBe(ExitCode.Usage);
      expect(r.err).toContain(`idctl: ${message}`);
      expect(r.err).not.toContain('pw@');
    });

    it('the default API URL is http://127.0.0.1:8080/api/v1', async () => {
      let tried = '';
      const fetchSpy = (async (input: string | URL | Request) => {
        tried = String(input);
        throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
      }) as typeof fetch;
      const r = await idctl(['sim', 'show', f.sim.iccid], { IDCTL_API_URL: undefined }, { fetch: fetchSpy });
      expect(r.code).toBe(ExitCode.Unavailable);
      expect(tried).toBe(`http://127.0.0.1:8080/api/v1/sims/${f.sim.iccid}`);
    });

    it('a plain-HTTP API that is not on this host gets a warning', async () => {
      const fetchSpy = (async () => new Response(JSON.stringify(f.sim), { status: 200 })) as typeof fetch;
      const r = await idctl(['sim', 'show', f.sim.iccid], { IDCTL_API_URL: 'http://ops.example.net/api/v1' }, { fetch: fetchSpy });
      expect(r.code).toBe(ExitCode.Ok);
      expect(r.err).toBe('idctl: warning: sending the operator token over plain HTTP to ops.example.net\n');
    });
  });

  describe('credentials', () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idctl-main-'));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('no token anywhere: exit 2, says how to provide one, sends nothing', async () => {
      const r = await idctl(['device', 'show', 'SN-1'], { IDCTL_TOKEN: undefined }, { cwd: () => dir });
      expect(r.code).toBe(ExitCode.Usage);
      expect(r.err).toContain('idctl: no operator token found');
      expect(r.err).toContain('IDCTL_TOKEN_FILE');
      expect(api.requests).toHaveLength(0);
    });

    it('reads ./data/operator-token and warns when group or others can read it', async () => {
      fs.mkdirSync(path.join(dir, 'data'));
      fs.writeFileSync(path.join(dir, 'data', 'operator-token'), 'from-file\n');
      fs.chmodSync(path.join(dir, 'data', 'operator-token'), 0o644);
      api.on('GET', '/devices/SN-0001', 200, f.device);
      const r = await idctl(['device', 'show', 'SN-0001'], { IDCTL_TOKEN: undefined }, { cwd: () => dir });
      expect(r.code).toBe(ExitCode.Ok);
      expect(api.requests[0].headers.authorization).toBe('Bearer from-file');
      expect(r.err).toContain('is accessible by group or others (mode 0644)');
    });

    it('usage errors come before credentials: a bad option with no token exits 2 for the option', async () => {
      const r = await idctl(['sim', 'show', '12'], { IDCTL_TOKEN: undefined }, { cwd: () => dir });
      expect(r.err).toContain('<iccid> must be');
      expect(r.err).not.toContain('token');
    });
  });

  describe('agent', () => {
    function fakeAgentLib(behaviour: { start?: Error; ready?: Error; stopHangs?: boolean } = {}) {
      const calls: { opts?: AgentOptions; stopped: number } = { stopped: 0 };
      const lib = {
        runAgent: async (opts: AgentOptions): Promise<RunningAgent> => {
          calls.opts = opts;
          if (behaviour.start) throw behaviour.start;
          opts.log?.('agent: connected');
          return {
            ready: behaviour.ready ? Promise.reject(behaviour.ready) : Promise.resolve(),
            stop: () => {
              calls.stopped += 1;
              return behaviour.stopHangs ? new Promise<void>(() => undefined) : Promise.resolve();
            },
          };
        },
      };
      return { lib, calls };
    }

    /** Sends `signals` one by one once the agent has printed `waitFor` (or at once). */
    function signalsAfter(io: { out: () => string }, waitFor: string | null, ...signals: NodeJS.Signals[]) {
      const source = new EventEmitter();
      const timer = setInterval(() => {
        if (waitFor !== null && !io.out().includes(waitFor)) return;
        const next = signals.shift();
        if (next) source.emit(next);
        if (signals.length === 0) clearInterval(timer);
      }, 5);
      return source;
    }

    async function agent(argv: string[], lib: unknown, send: (out: () => string) => EventEmitter, env: NodeJS.ProcessEnv = {}) {
      let out = '';
      let err = '';
      const signals = send(() => out);
      const code = await run(['agent', ...argv], env, { stdout: (s) => (out += s), stderr: (s) => (err += s) }, {
        loadAgentLib: () => lib as ReturnType<Deps['loadAgentLib']>,
        signals,
        cwd: () => '/srv/gw',
        hostname: () => 'gw-07.site.example',
      });
      return { code, out, err, listeners: signals.listenerCount('SIGINT') + signals.listenerCount('SIGTERM') };
    }

    it('runs until SIGTERM, then stops cleanly: exit 0', async () => {
      const { lib, calls } = fakeAgentLib();
      const r = await agent(['--dir', 'revocations', '--http-port', '9100'], lib, (out) => signalsAfter({ out }, 'following', 'SIGTERM'), {
        NATS_URL: 'nats://nats.local:4222',
      });
      expect(r.code).toBe(ExitCode.Ok);
      expect(calls.opts).toMatchObject({ natsUrl: 'nats://nats.local:4222', dir: '/srv/gw/revocations', name: 'gw-07', httpPort: 9100 });
      expect(calls.stopped).toBe(1);
      expect(r.out).toBe('agent: following revocations (dir=/srv/gw/revocations)\nagent: stopped\n');
      expect(r.err).toContain('agent: connected\n');
      expect(r.err).toContain('agent: stopping (SIGTERM)');
      expect(r.listeners).toBe(0);
    });

    it('--nats and --name win over the defaults; --json prints events', async () => {
      const { lib, calls } = fakeAgentLib();
      const r = await agent(['--dir', '/var/lib/rev', '--nats', 'tls://n:4222', '--name', 'edge-1', '--json'], lib, (out) =>
        signalsAfter({ out }, 'ready', 'SIGINT'),
      );
      expect(r.code).toBe(ExitCode.Ok);
      expect(calls.opts).toMatchObject({ natsUrl: 'tls://n:4222', name: 'edge-1', dir: '/var/lib/rev', httpPort: undefined });
      expect(r.out.trim().split('\n').map((l) => JSON.parse(l).event)).toEqual(['ready', 'stopped']);
    });

    it('defaults NATS to nats://127.0.0.1:4222', async () => {
      const { lib, calls } = fakeAgentLib();
      await agent(['--dir', 'd'], lib, (out) => signalsAfter({ out }, 'following', 'SIGINT'));
      expect(calls.opts?.natsUrl).toBe('nats://127.0.0.1:4222');
    });

    it('a signal before ready still stops the agent: exit 0', async () => {
      const { lib, calls } = fakeAgentLib();
      const pending = { ...lib, runAgent: async (o: AgentOptions) => ({ ...(await lib.runAgent(o)), ready: new Promise<void>(() => undefined) }) };
      const r = await agent(['--dir', 'd'], pending, () => signalsAfter({ out: () => '' }, null, 'SIGINT'));
      expect(r.code).toBe(ExitCode.Ok);
      expect(calls.stopped).toBe(1);
      expect(r.out).not.toContain('following');
    });

    it('a second signal while stop hangs: exit 130', async () => {
      const { lib } = fakeAgentLib({ stopHangs: true });
      const r = await agent(['--dir', 'd'], lib, (out) => signalsAfter({ out }, 'following', 'SIGINT', 'SIGINT'));
      expect(r.code).toBe(130);
      expect(r.listeners).toBe(0);
    });

    it.each([
      ['fail/runAgent-rejects', { start: new Error('CONNECTION_REFUSED') }, 0],
      ['fail/ready-rejects', { ready: new Error('stream IIS_REVOCATIONS_V1 not found') }, 1],
    ])('%s: exit 3 naming NATS', async (_name, behaviour, stops) => {
      const { lib, calls } = fakeAgentLib(behaviour);
      const r = await agent(['--dir', 'd', '--nats', 'nats://u:pw@n:4222'], lib, () => new EventEmitter());
      expect(r.code).toBe(ExitCode.Unavailable);
      expect(r.err).toContain('idctl: the agent could not start (NATS at nats://u:***@n:4222)');
      expect(r.err).not.toContain(':pw@');
      expect(calls.stopped).toBe(stops);
      expect(r.listeners).toBe(0);
    });

    it('the library cannot be loaded: exit 3 saying so', async () => {
      let err = '';
      const r = await run(['agent', '--dir', 'd'], {}, { stdout: () => undefined, stderr: (s) => (err += s) }, {
        loadAgentLib: () => {
          throw new Error("Cannot find module '@iis/revocation-client'");
        },
        signals: new EventEmitter(),
      });
      expect(r).toBe(ExitCode.Unavailable);
      expect(err).toContain('cannot load the gateway agent library');
    });
  });
});
