import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { DEFAULT_OPS_PORTS, opsPortVariable, serviceVariables, ServiceName } from '@iis/config';
import { deployedVariables, gatewayAgentVariables } from './feature-settings';

/**
 * No container engine runs here, so the deployment descriptions are checked by reading them:
 * every service the suite has, with two instances, every variable its config loader and its
 * feature settings loaders read (found by running the loaders: libs/config, and the services' own
 * in ./feature-settings.ts, not listed here), every port it listens on; the gateway agent likewise.
 */
const here = __dirname;
const SERVICES = Object.keys(DEFAULT_OPS_PORTS) as ServiceName[];

type Env = Record<string, string>;
/** A secret may be given as NAME or NAME_FILE; a loader reads both names. */
function missingVariables(read: string[], given: Env): string[] {
  const has = (v: string) => v in given || (v.endsWith('_FILE') ? v.slice(0, -5) in given : `${v}_FILE` in given);
  return read.filter((v) => !has(v));
}
/** The ports a service listens on: the values of its *_PORT variables. */
function listeningPorts(read: string[], env: Env): number[] {
  return read.filter((v) => v.endsWith('_PORT') && env[v]).map((v) => Number(env[v]));
}

it('sees what the services read for features of their own (EST, attestation, operator mTLS, revocation signing key, gateway agent)', () => {
  for (const service of ['onboarding', 'attestation', 'operator-api', 'revocation'] as ServiceName[]) expect(deployedVariables(service).length).toBeGreaterThan(serviceVariables(service).length);
  expect(gatewayAgentVariables()).toContain('AGENT_DIR');
});

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
    const read = deployedVariables(name);
    expect(missingVariables(read, env)).toEqual([]);
    expect(env.NATS_USER).toBe(name);
    expect(env.JETSTREAM_REPLICAS).toBe('3');
    expect(env[opsPortVariable(name)]).toBeDefined();
    expect(listeningPorts(read, env).filter((p) => !(s.expose ?? []).includes(String(p)))).toEqual([]);
  });

  it('gateway-agent: every variable the agent reads, its HTTP port exposed', () => {
    const s = services['gateway-agent'];
    const env = s.environment ?? {};
    expect(missingVariables(gatewayAgentVariables(), env)).toEqual([]);
    expect(listeningPorts(gatewayAgentVariables(), env).filter((p) => !(s.expose ?? []).includes(String(p)))).toEqual([]);
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
    const read = deployedVariables(name);
    expect(missingVariables(read, env)).toEqual([]);
    const ports = (container.ports as { containerPort: number }[]).map((p) => p.containerPort);
    expect(listeningPorts(read, env).filter((p) => !ports.includes(p))).toEqual([]);
    expect(container.readinessProbe.httpGet.path).toBe('/health/ready');
    expect(container.livenessProbe.httpGet.path).toBe('/health/live');
    // Anything that listens beyond the operations port is reachable through a Service.
    const business = listeningPorts(read, env).filter((p) => p !== Number(env[opsPortVariable(name)]));
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

describe('a gateway site (deploy/cluster/nats/leaf-site.conf)', () => {
  const nats = path.join(here, 'cluster', 'nats');
  const read = (f: string) => fs.readFileSync(path.join(nats, f), 'utf8');
  const k8s = parseAllDocuments(fs.readFileSync(path.join(here, 'kubernetes', 'nats.yaml'), 'utf8')).map((d) => d.toJS());
  const configMap = k8s.find((d) => d?.kind === 'ConfigMap' && d.metadata?.name === 'nats-config').data as Record<string, string>;

  it('maps its agents into the JetStream domain the cluster names (compose and Kubernetes)', () => {
    const mapped = /mappings: \{ "\$JS\.API\.>": "\$JS\.(\w+)\.API\.>" \}/.exec(read('leaf-site.conf'))?.[1];
    expect(mapped).toBeDefined();
    for (const conf of [read('nats-server.conf'), configMap['nats-server.conf']]) expect(conf).toMatch(new RegExp(`jetstream \\{[^}]*domain: ${mapped}\\b`));
    expect(read('leaf-site.conf')).not.toMatch(/^jetstream/m);
  });

  it('logs in as `site`, whose permissions are an agent\'s with the JetStream API in that domain', () => {
    const users = read('users.conf');
    const block = (name: string) => new RegExp(`^${name} = \\{([\\s\\S]*?)^\\}`, 'm').exec(users)![1];
    expect(read('leaf-site.conf')).toMatch(/urls: \$NATS_HUB_URLS/);
    expect(users).toMatch(/user: site,.*permissions: \$SITE/);
    expect(block('SITE')).toBe(block('AGENT').replace(/"\$JS\.API\./g, '"$JS.iis.API.'));
  });

  it('Kubernetes runs the same users.conf, with every password it names', () => {
    expect(configMap['users.conf']).toBe(read('users.conf'));
    const passwords = [...read('users.conf').matchAll(/password: \$(\w+)/g)].map((m) => m[1]);
    const env = k8s.find((d) => d?.kind === 'StatefulSet' && d.metadata?.name === 'nats').spec.template.spec.containers[0].env.map((e: { name: string }) => e.name);
    expect(passwords.filter((p) => !env.includes(p))).toEqual([]);
    const compose = fs.readFileSync(path.join(here, 'docker-compose.yml'), 'utf8');
    expect(passwords.filter((p) => !compose.includes(`${p}:`))).toEqual([]);
  });
});
