import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { chromium, BrowserContext, Page } from 'playwright-core';
import { FactEvent, FactStreams } from '@iis/contracts';
import { connectNats } from '@iis/messaging';
import { OpensslDevice } from './support/device';
import { run } from './support/run';
import { repoRoot, RunningSuite, startSuite } from './support/suite';
import { waitFor } from './support/wait';

/**
 * The web console in a real browser against the real suite. Real: the launcher that `npm start`
 * runs (its own nats-server with JetStream, every service, SQLite), openssl + curl as the devices
 * (EST over HTTPS), `idctl agent` as the gateway following revocations, and Debian's Chromium,
 * headless, driven by playwright-core (no browser download). Screenshots of every page go to
 * test-output/console/.
 */
const idctl = path.join(repoRoot, 'bin', 'idctl.js');
const shots = path.join(repoRoot, 'test-output', 'console');
const MARKUP = '<img src=x onerror="window.__xss=1"><b>Acme</b>';

/** Polls until `get` gives a value (not undefined/false), or fails naming what it waited for. */
async function until<T>(what: string, get: () => Promise<T | undefined | false>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await get();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`${what}: not seen within ${ms} ms${last ? ` (${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('web console in headless Chromium (sqlite)', () => {
  let suite: RunningSuite;
  let work: string;
  let caFile: string;
  let agent: ChildProcess | undefined;
  let agentOut = '';
  let nc: NatsConnection;
  let browser: BrowserContext;
  const tokens: Record<string, { token: string; id: string }> = {};
  const devices: { serial: string; id: string; iccid: string; imsi: string; imei: string; certSerial: string }[] = [];
  const pageErrors: string[] = [];

  const api = async (method: string, p: string, token: string, body?: unknown) => {
    const res = await fetch(`${suite.apiUrl}${p}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
  };
  const admin = () => tokens['e2e-admin'].token;

  async function newToken(name: string, role: string) {
    const r = await api('POST', '/tokens', suite.token, { name, role, ttlDays: 1 });
    expect(r.status).toBe(201);
    tokens[name] = { token: r.body.token, id: r.body.info.id };
  }

  /** Imports a device with its SIM and a one-time secret, then enrolls it with openssl + curl. */
  async function enrolled(n: number, manufacturer: string) {
    const serial = `SN-CONSOLE-${n}`;
    const iccid = ['89441000303122845264', '89441000303122845272'][n - 1];
    const imsi = `26201123456780${n}`;
    const imei = ['356938035643809', '352099001761481'][n - 1];
    const imported = await api('POST', '/devices/import', admin(), { withSecrets: true, rows: [{ line: 2, serial, iccid, imsi, imei, manufacturer, deviceClass: 'sensor', firmwareVersion: '2.1.0' }] });
    expect(imported.body).toMatchObject({ imported: 1, rejected: [] });
    const dev = new OpensslDevice(work, serial.toLowerCase());
    const res = dev.enroll(suite.estUrl, caFile, serial, imported.body.secrets[0].secret);
    expect(res.status).toBe(200);
    const pem = dev.certificateFromResponse(res.bodyFile);
    const certSerial = /serial=([0-9A-F]+)/.exec(run('openssl', ['x509', '-in', pem, '-noout', '-serial']).stdout)![1].toLowerCase();
    const device = (await api('GET', `/devices/${serial}`, admin())).body;
    devices.push({ serial, id: device.id, iccid, imsi, imei, certSerial });
  }

  const publish = (subject: string, event: FactEvent) => jetstream(nc).publish(subject, JSON.stringify(event), { msgID: event.eventId });

  async function openPage(): Promise<Page> {
    const page = await browser.newPage();
    page.on('pageerror', (e) => pageErrors.push(`pageerror: ${e.message}`));
    // A script or style the CSP blocks shows up as a console error, not as an exception.
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) pageErrors.push(`csp: ${m.text()}`);
    });
    return page;
  }

  async function login(page: Page, token: string) {
    await page.goto(`${suite.apiUrl.replace(/\/api\/v1$/, '')}/console/`);
    await page.locator('input[name=token]').fill(token);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByTestId('who').waitFor();
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
  const consoleUrl = () => `${suite.apiUrl.replace(/\/api\/v1$/, '')}/console/`;

  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true });
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'iis-console-'));
    suite = await startSuite();
    caFile = path.join(work, 'ca.pem');
    expect(run('curl', ['-s', '-f', '-o', caFile, `${suite.caUrl}/ca/chain.pem`]).code).toBe(0);
    nc = await connectNats(suite.natsUrl, 'console-e2e');
    await newToken('e2e-admin', 'security-admin');
    await newToken('e2e-viewer', 'viewer');
    await newToken('e2e-policy', 'policy-admin');

    // A gateway agent follows the revocation stream and reports its applied sequence.
    agent = spawn(process.execPath, [idctl, 'agent', '--dir', path.join(work, 'agent'), '--nats', suite.natsUrl, '--name', 'e2e-gateway'], { env: suite.idctlEnv });
    agent.stdout!.on('data', (b: Buffer) => (agentOut += b.toString()));
    agent.stderr!.on('data', (b: Buffer) => (agentOut += b.toString()));
    await waitFor(() => agentOut, /following revocations/, 30_000, 'agent start');

    // Two devices enrolled over EST; the first one's manufacturer is markup.
    await enrolled(1, MARKUP);
    await enrolled(2, 'Contoso Sensors');
    // The first device's trust score moves: hardware attestation, then authentication failures.
    const base = { version: 1 as const, deviceId: devices[0].id, source: 'gateway:e2e-gateway' };
    await publish(FactStreams.attestation, { ...base, eventId: 'console-att-1', observedAt: new Date().toISOString(), kind: 'attestation', type: 'tpm', verdict: 'pass' });
    await publish(FactStreams.behaviour, { ...base, eventId: 'console-beh-1', observedAt: new Date().toISOString(), kind: 'behaviour', counters: { authFailures: 5 } });
    await publish(FactStreams.behaviour, { ...base, eventId: 'console-beh-2', observedAt: new Date().toISOString(), kind: 'behaviour', counters: { authFailures: 10 } });
    await until('three re-scored decisions', async () => (await api('GET', `/devices/${devices[0].serial}/decisions?limit=10`, admin())).body.decisions.length >= 4);

    // A second policy version, so the policy page has a history and a diff.
    const doc = JSON.parse(fs.readFileSync(path.join(repoRoot, 'docs', 'policy-example.json'), 'utf8'));
    expect((await api('POST', '/policies', tokens['e2e-policy'].token, { document: doc, activate: true, reason: 'EU fleet rules' })).status).toBe(201);

    browser = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(os.tmpdir(), 'iis-chromium-')), {
      executablePath: '/usr/bin/chromium',
      headless: true,
      acceptDownloads: true,
      viewport: { width: 1280, height: 900 },
      // Without the background-networking flags Chromium calls home on a closed network.
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await nc?.close();
    if (agent && agent.exitCode === null) {
      agent.kill('SIGINT');
      await new Promise((r) => agent!.once('exit', r));
    }
    if (suite) expect(await suite.stop()).toBe(0);
  });

  it('serves the console with a content security policy, and no data without a token', async () => {
    const page = await fetch(consoleUrl());
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(await page.text()).toContain('<div id="root"></div>');
    expect((await fetch(`${suite.apiUrl}/status/stream`)).status).toBe(401);
    expect((await fetch(`${suite.apiUrl}/session`)).status).toBe(401);
  });

  it('a security-admin logs in, finds the device, reports its SIM lost, and watches the revocation reach the gateway', async () => {
    const page = await openPage();
    await login(page, admin());
    expect(await page.getByTestId('who').textContent()).toBe('e2e-admin · security-admin');

    // Overview, live: both devices active, the gateway agent caught up.
    await until('two active devices on the overview', async () => /active\s*2/.test((await page.getByTestId('devices-by-status').innerText()) ?? ''));
    await page.locator('[data-agent="e2e-gateway"]').waitFor();
    await page.getByTestId('live-state').filter({ hasText: 'live' }).waitFor();
    await shot(page, '01-overview-before');

    // Find the device in the registry and open it.
    await page.getByRole('link', { name: 'Devices' }).click();
    await page.getByRole('link', { name: devices[0].serial }).waitFor();
    await shot(page, '02-devices');
    await page.getByRole('link', { name: devices[0].serial }).click();
    await page.getByTestId('device-serial').filter({ hasText: devices[0].serial }).waitFor();
    await page.getByTestId('device-certificates').getByText('valid').waitFor();
    // The manufacturer's markup is shown as text: no element made from it, no script run.
    await page.getByText(MARKUP, { exact: true }).waitFor();
    expect(await page.locator('main img').count()).toBe(0);
    expect(await page.locator('main b', { hasText: 'Acme' }).count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    // The trust score over time, and the latest decision explained.
    await page.locator('svg[aria-label="trust score over time"] circle').nth(3).waitFor();
    expect(await page.getByTestId('latest-decision').innerText()).toContain('auth-failures');
    await shot(page, '03-device');

    // SIM search by IMEI; the confirmation names the device and the certificates it will revoke.
    await page.getByRole('link', { name: 'SIMs' }).click();
    await page.locator('select[name=field]').selectOption('imei');
    await page.locator('input[name=value]').fill(devices[0].imei);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByTestId('sim-results').getByText(devices[0].iccid).waitFor();
    await page.getByRole('button', { name: 'Report lost' }).click();
    const text = await page.getByTestId('confirm-text').innerText();
    expect(text).toContain(devices[0].serial);
    expect(text).toContain('1 valid certificate(s) will be revoked');
    await page.locator('input[name=reason]').fill('left in a taxi <script>alert(1)</script>');
    await shot(page, '04-sims-confirm');
    await page.getByRole('button', { name: 'Report lost and revoke 1' }).click();
    expect(await page.getByTestId('sim-action-done').innerText()).toContain('1 certificate(s) revoked');
    await page.getByTestId('sim-status').filter({ hasText: 'lost' }).waitFor();
    await shot(page, '05-sims-lost');

    // Back on the overview the revocation appears and the agent's lag returns to zero, with no refresh.
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.locator(`[data-testid=revocations] tr[data-serial="${devices[0].certSerial}"]`).waitFor({ timeout: 30_000 });
    await waitFor(() => agentOut, new RegExp(`applied revocation serial=${devices[0].certSerial}`), 30_000, 'revocation at the agent');
    const row = page.locator('[data-agent="e2e-gateway"]');
    const streamSeq = await until('the revocation stream sequence', async () => {
      const status = (await api('GET', '/revocations/agents', admin())).body;
      return status.streamLastSequence > 0 ? (status.streamLastSequence as number) : undefined;
    });
    await until('agent lag back to zero in the page', async () => {
      const applied = await row.locator('[data-field=applied]').innerText();
      const lag = await row.locator('[data-field=lag]').innerText();
      return Number(applied) === streamSeq && lag.trim() === '0';
    });
    expect(await page.getByTestId('revoked-24h').innerText()).toBe('1');
    await shot(page, '06-overview-after');
    fs.copyFileSync(path.join(shots, '06-overview-after.png'), path.join(shots, 'overview.png'));

    // Policy: active version, history, diff.
    await page.getByRole('link', { name: 'Policy' }).click();
    await page.getByTestId('active-version').filter({ hasText: 'active version 2' }).waitFor();
    await page.getByTestId('diff-summary').filter({ hasText: 'changed line' }).waitFor();
    expect(await page.locator('[data-testid=policy-diff] .added').count()).toBeGreaterThan(0);
    await shot(page, '07-policy');

    // Audit: the report-lost entry with its reason (as text), the chain verified, an export.
    await page.getByRole('link', { name: 'Audit' }).click();
    await page.getByTestId('chain-status').filter({ hasText: 'chain verified' }).waitFor();
    await page.locator('input[name=action]').fill('sim.report-lost');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByTestId('audit-entries').getByText('left in a taxi <script>alert(1)</script>', { exact: true }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON Lines' }).click()]);
    const exported = fs.readFileSync((await download.path())!, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(exported).toEqual([expect.objectContaining({ action: 'sim.report-lost', actor: 'e2e-admin', reason: 'left in a taxi <script>alert(1)</script>' })]);
    await shot(page, '08-audit');

    // Restore the SIM: named in the confirmation; its certificate stays revoked.
    await page.goto(`${consoleUrl()}#/sims?iccid=${devices[0].iccid}`);
    await page.getByRole('button', { name: 'Restore' }).click();
    expect(await page.getByTestId('confirm-text').innerText()).toContain(devices[0].serial);
    await page.locator('input[name=reason]').fill('found in the taxi office');
    await page.getByTestId('confirm').getByRole('button', { name: 'Restore' }).click();
    await page.getByTestId('sim-status').filter({ hasText: 'active' }).waitFor();
    expect((await api('GET', `/certificates?serial=${devices[0].certSerial}`, admin())).body.certificates[0].status).toBe('revoked');

    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('a viewer sees no action buttons, and the API refuses the action (403)', async () => {
    const page = await openPage();
    await login(page, tokens['e2e-viewer'].token);
    await page.goto(`${consoleUrl()}#/sims?iccid=${devices[1].iccid}`);
    await page.getByTestId('sim-results').getByText(devices[1].iccid).waitFor();
    expect(await page.getByRole('button', { name: 'Report lost' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Restore' }).count()).toBe(0);
    await shot(page, '09-viewer-sims');
    // Calling the API anyway, from the page, with the viewer's own token.
    const status = await page.evaluate(
      async ([iccid, token]) => (await fetch(`/api/v1/sims/${iccid}/report-lost`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'viewer tries' }) })).status,
      [devices[1].iccid, tokens['e2e-viewer'].token],
    );
    expect(status).toBe(403);
    expect((await api('POST', `/sims/${devices[1].iccid}/restore`, tokens['e2e-viewer'].token, { reason: 'viewer tries' })).status).toBe(403);
    expect((await api('GET', `/sims/${devices[1].iccid}`, admin())).body.status).toBe('active');
    // The audit page is not for viewers.
    await page.getByRole('link', { name: 'Audit' }).click();
    await page.getByText('The audit trail is for the security-admin role.').waitFor();
    await page.close();
  });

  it('an expired session goes back to the login page', async () => {
    // Server side: the token is revoked while the overview is open; the live stream ends the session.
    await newToken('e2e-short', 'security-admin');
    const page = await openPage();
    await login(page, tokens['e2e-short'].token);
    await page.getByTestId('live-state').filter({ hasText: 'live' }).waitFor();
    expect((await api('DELETE', `/tokens/${tokens['e2e-short'].id}`, admin())).status).toBe(200);
    await page.getByTestId('session-expired').waitFor({ timeout: 30_000 });
    await shot(page, '10-session-expired');
    expect(await page.locator('input[name=token]').count()).toBe(1);

    // Client side: past the session's own deadline, the next page load shows the login page.
    await login(page, admin());
    await page.evaluate(() => {
      const key = 'iis-console-session';
      const s = JSON.parse(sessionStorage.getItem(key)!);
      sessionStorage.setItem(key, JSON.stringify({ ...s, expiresAt: Date.now() - 1000 }));
    });
    await page.reload();
    await page.getByTestId('session-expired').waitFor();
    await page.close();
  });
});
