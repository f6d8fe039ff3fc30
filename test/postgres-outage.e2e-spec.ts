import { OwnPostgres } from './support/own-postgres';
import { eventually, opsUrls, readiness } from './support/ops';
import { RunningSuite, startSuite } from './support/suite';

/**
 * PostgreSQL goes away under a running suite and comes back. Real: a PostgreSQL server of the
 * test's own (initdb from the Debian binaries, stopped with `pg_ctl -m immediate`), the launched
 * suite on it, nats-server, the operator API over HTTP.
 */
describe('PostgreSQL outage', () => {
  let pg: OwnPostgres;
  let suite: RunningSuite;
  let ops: Record<string, string>;

  beforeAll(async () => {
    pg = await OwnPostgres.create();
    suite = await startSuite({ DATABASE_URL: pg.url });
    ops = opsUrls(suite.output());
  });

  afterAll(async () => {
    if (suite) await suite.stop();
    pg?.destroy();
  });

  const listDevices = () => fetch(`${suite.apiUrl}/devices`, { headers: { authorization: `Bearer ${suite.token}` } });

  it('readiness turns false, requests get 503 with Retry-After, and all recover when it is back', async () => {
    expect((await listDevices()).status).toBe(200);
    pg.stop();

    await eventually(async () => (await readiness(ops.onboarding)).status === 503, 20_000, 'onboarding not ready without its database');
    const down = await readiness(ops.onboarding);
    expect(down.body.checks).toMatchObject({ nats: 'ok' });
    expect(down.body.checks.database).not.toBe('ok');
    const during = await listDevices();
    expect(during.status).toBe(503);
    expect(during.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await during.json()).error.code).toBe('UNAVAILABLE');

    pg.start();
    for (const [service, url] of Object.entries(ops)) await eventually(async () => (await readiness(url)).status === 200, 30_000, `${service} ready again`);
    expect((await listDevices()).status).toBe(200);
    expect(suite.output()).not.toMatch(/stopped unexpectedly/);
  });
});
