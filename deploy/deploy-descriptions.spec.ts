import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { DEFAULT_OPS_PORTS, opsPortVariable, serviceVariables, ServiceName } from '@iis/config';

/**
 * No container engine runs here, so the deployment descriptions are checked by reading them:
 * every service the suite has, with two instances, every variable its config loader reads
 * (found by running the loaders in libs/config, not listed here), every port it listens on.
 */
const here = __dirname;
const SERVICES = Object.keys(DEFAULT_OPS_PORTS) as ServiceName[];

type Env = Record<string, string>;
/** A secret may be given as NAME or NAME_FILE; a loader reads both names. */
function missingVariables(service: ServiceName, given: Env): string[] {
  const has = (v: string) => v in given || (v.endsWith('_FILE') ? v.slice(0, -5) in given : `${v}_FILE` in given);
  return serviceVariables(service).filter((v) => !has(v));
}
/** The ports a service listens on: the values of its *_PORT variables. */
function listeningPorts(service: ServiceName, env: Env): number[] {
  return serviceVariables(service)
    .filter((v) => v.endsWith('_PORT') && env[v])
    .map((v) => Number(env[v]));
}

describe('docker compose (deploy/docker-compose.yml)', () => {
  const compose = parse(fs.readFileSync(path.join(here, 'docker-compose.yml'), 'utf8'), { merge: true });
  const services = compose.services as Record<string, { environment?: Env; expose?: string[]; deploy?: { replicas?: number }; image?: string; command?: string[] }>;

  it('has three NATS nodes, PostgreSQL, Mosquitto and a gateway agent', () => {
    expect(Object.values(services).filter((s) => s.image?.startsWith('nats:'))).toHaveLength(3);
    expect(services.postgres).toBeDefined();
    expect(services.mosquitto).toBeDefined();
    expect(services['gateway-agent']?.command).toContain('agent');
  });

  it.each(SERVICES)('%s: two instances, its own NATS user, replicas 3, every variable and port', (name) => {
    const s = services[name];
    expect(s).toBeDefined();
    expect(s.deploy?.replicas).toBeGreaterThanOrEqual(2);
    expect(s.command?.join(' ')).toContain(`dist/services/${name}/src/main.js`);
    const env = s.environment ?? {};
    expect(missingVariables(name, env)).toEqual([]);
    expect(env.NATS_USER).toBe(name);
    expect(env.JETSTREAM_REPLICAS).toBe('3');
    expect(env[opsPortVariable(name)]).toBeDefined();
    expect(listeningPorts(name, env).filter((p) => !(s.expose ?? []).includes(String(p)))).toEqual([]);
  });
});

describe('Kubernetes manifests (deploy/kubernetes/)', () => {
  const docs = fs
    .readdirSync(path.join(here, 'kubernetes'))
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(here, 'kubernetes', f), 'utf8')).map((d) => d.toJS()));
  const named = (kind: string, name: string) => docs.find((d) => d?.kind === kind && d.metadata?.name === name);

  it('runs NATS as three nodes', () => {
    expect(named('StatefulSet', 'nats')?.spec.replicas).toBe(3);
  });

  it.each(SERVICES)('%s: two replicas, every variable, every port, probes on the operations port', (name) => {
    const deployment = named('Deployment', name);
    expect(deployment?.spec.replicas).toBeGreaterThanOrEqual(2);
    const container = deployment.spec.template.spec.containers[0];
    const env: Env = Object.fromEntries((container.env as { name: string; value?: string }[]).map((e) => [e.name, e.value ?? 'from a secret']));
    expect(missingVariables(name, env)).toEqual([]);
    const ports = (container.ports as { containerPort: number }[]).map((p) => p.containerPort);
    expect(listeningPorts(name, env).filter((p) => !ports.includes(p))).toEqual([]);
    expect(container.readinessProbe.httpGet.path).toBe('/health/ready');
    expect(container.livenessProbe.httpGet.path).toBe('/health/live');
    // Anything that listens beyond the operations port is reachable through a Service.
    const business = listeningPorts(name, env).filter((p) => p !== Number(env[opsPortVariable(name)]));
    if (business.length) expect(named('Service', name)?.spec.ports.map((p: { port: number }) => p.port)).toEqual(expect.arrayContaining(business));
  });
});

describe('NATS users (deploy/cluster/nats/users.conf)', () => {
  const users = fs.readFileSync(path.join(here, 'cluster', 'nats', 'users.conf'), 'utf8');
  const block = (name: string) => new RegExp(`^${name} = \\{([\\s\\S]*?)^\\}`, 'm').exec(users)?.[1] ?? '';

  it.each([...SERVICES, 'agent'])('%s has a user of its own', (name) => {
    expect(users).toMatch(new RegExp(`user: ${name},`));
  });

  it('lets only the revocation service publish revocation events; agents publish no command', () => {
    expect(users).toMatch(/user: revocation,.*permissions: \$REVOCATION/);
    for (const s of SERVICES.filter((s) => s !== 'revocation')) expect(users).toMatch(new RegExp(`user: ${s},.*permissions: \\$SERVICE\\b`));
    expect(block('SERVICE')).toMatch(/deny: \["iis\.v1\.revocation\.events\.>"/);
    // Whoever the CA answers there gets a certificate that signs revocation events.
    expect(block('SERVICE')).toMatch(/deny: \[[^\]]*"iis\.v1\.ca\.revocation-signer\.issue"/);
    expect(block('AGENT').split('subscribe:')[0]).toContain('"iis.v1.revocation.snapshot.page"');
    expect(block('AGENT').split('subscribe:')[0]).not.toMatch(/"iis\.v1\.>"|"iis\.v1\.revocation\.events|"\$JS\.API\.>"/);
  });
});
