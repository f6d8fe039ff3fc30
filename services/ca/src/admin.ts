import 'reflect-metadata';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, loadCaConfig, suiteNatsUrl } from '@iis/config';
import { CaHierarchyReply, CaSubjects, DomainError, ErrorCode, RotateIssuerReply, RotateIssuerRequest } from '@iis/contracts';
import { connectNats, RpcClient } from '@iis/messaging';
import { openStore } from '@iis/persistence';
import { CA_ENTITIES, CA_MIGRATIONS } from './app.module';
import { issueAuthorityCrl, OFFLINE_ARL_DAYS } from './crl/authority-crl';
import { exportRoot, importHierarchy, importRootKey, removeRootKey } from './hierarchy/hierarchy-store';
import { IssuerEntity } from './hierarchy/issuer.entity';

const USAGE = `ca-admin: operator commands for the CA hierarchy (run where the CA's database is reachable)

  ca-admin describe                                  issuers, algorithms, key protection, validity
  ca-admin rotate [--alg P-256|P-384|Ed25519|RSA-2048|RSA-3072]
                                                     new issuing CA (asks the running CA over NATS)
  ca-admin export-root --out <dir>                   root.pem and root-key.pem (PKCS#8 PBES2, CA passphrase)
  ca-admin remove-root-key --exported <root-key.pem> take the root key offline (needs the export)
  ca-admin import-root-key --in <root-key.pem> [--key-passphrase-file <f>]
  ca-admin import --root <pem> --issuing <pem> --issuing-key <pem> [--root-key <pem>] [--key-passphrase-file <f>]
                                                     an existing hierarchy, into an empty CA, before first start

Environment: DATA_DIR / DATABASE_URL, CA_KEY_PASSPHRASE or CA_KEY_PASSPHRASE_FILE (default: the
launcher's <DATA_DIR>/secrets/ca-key-passphrase), NATS_URL (to tell running CA instances to reload).`;

function arg(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function need(args: string[], name: string): string {
  const v = arg(args, name);
  if (!v) throw new DomainError(ErrorCode.BadRequest, `${name} is required\n\n${USAGE}`);
  return v;
}

async function main(argv: string[]): Promise<void> {
  const [cmd, ...args] = argv;
  if (!cmd || cmd === '--help' || cmd === 'help') {
    console.log(USAGE);
    return;
  }
  const env = { ...process.env };
  const dataDir = path.resolve(env.DATA_DIR || 'data');
  const launcherSecret = path.join(dataDir, 'secrets', 'ca-key-passphrase');
  if (!env.CA_KEY_PASSPHRASE && !env.CA_KEY_PASSPHRASE_FILE && fs.existsSync(launcherSecret)) env.CA_KEY_PASSPHRASE_FILE = launcherSecret;
  // The NATS that `npm start` runs, unless NATS_URL names another.
  env.NATS_URL ||= suiteNatsUrl(dataDir);
  const config = loadCaConfig(env);

  if (cmd === 'rotate') {
    const nc = await connectNats(config.natsUrl, 'iis-ca-admin');
    try {
      const req: RotateIssuerRequest = { actor: `ca-admin@${process.env.USER ?? 'unknown'}`, ...(arg(args, '--alg') ? { keyAlgorithm: arg(args, '--alg') as RotateIssuerRequest['keyAlgorithm'] } : {}) };
      const r = await new RpcClient(nc, 30_000).request<RotateIssuerRequest, RotateIssuerReply>(CaSubjects.rotate, req);
      console.log(JSON.stringify(r, null, 2));
    } finally {
      await nc.drain();
    }
    return;
  }

  const ds = await openStore(config, { service: 'ca', entities: CA_ENTITIES, migrations: CA_MIGRATIONS });
  let changed = false;
  try {
    switch (cmd) {
      case 'describe': {
        const rows = await ds.getRepository(IssuerEntity).find({ order: { createdAt: 'ASC' } });
        const reply: CaHierarchyReply = {
          issuers: rows.map((r) => ({ id: r.id, kind: r.kind, parentId: r.parentId, keyAlgorithm: r.keyAlgorithm, keyProtection: r.keyReference ? 'pkcs11' : r.encryptedKey ? 'pbes2' : 'offline', notBefore: r.notBefore.toISOString(), notAfter: r.notAfter.toISOString(), retiredAt: r.retiredAt ? r.retiredAt.toISOString() : null, active: r.kind === 'issuing' && !r.retiredAt })),
        };
        console.log(JSON.stringify(reply, null, 2));
        break;
      }
      case 'export-root': {
        const out = path.resolve(need(args, '--out'));
        const r = await exportRoot(ds);
        fs.mkdirSync(out, { recursive: true, mode: 0o700 });
        fs.writeFileSync(path.join(out, 'root.pem'), r.certificatePem);
        fs.writeFileSync(path.join(out, 'root-key.pem'), r.encryptedKeyPem, { mode: 0o600 });
        console.log(`exported root ${r.id} to ${out} (root-key.pem is encrypted with the CA passphrase)`);
        break;
      }
      case 'remove-root-key': {
        let arlUntil = '';
        const id = await removeRootKey(ds, fs.readFileSync(need(args, '--exported'), 'utf8'), async () => {
          arlUntil = (await issueAuthorityCrl(ds, config.keyPassphrase, new Date(), OFFLINE_ARL_DAYS)).nextUpdate.toISOString();
        });
        console.log(`root key of ${id} removed from the CA database: the root is offline`);
        console.log(`signed the root's ARL, valid until ${arlUntil}; before then import the root key and remove it again to renew it`);
        changed = true;
        break;
      }
      case 'import-root-key': {
        const pass = arg(args, '--key-passphrase-file');
        const id = await importRootKey(ds, config, fs.readFileSync(need(args, '--in'), 'utf8'), pass ? fs.readFileSync(pass, 'utf8').trim() : undefined);
        console.log(`root key of ${id} is online again (encrypted with the CA passphrase)`);
        changed = true;
        break;
      }
      case 'import': {
        const pass = arg(args, '--key-passphrase-file');
        const rootKey = arg(args, '--root-key');
        const r = await importHierarchy(ds, config, {
          rootPem: fs.readFileSync(need(args, '--root'), 'utf8'),
          issuingPem: fs.readFileSync(need(args, '--issuing'), 'utf8'),
          issuingKeyPem: fs.readFileSync(need(args, '--issuing-key'), 'utf8'),
          rootKeyPem: rootKey ? fs.readFileSync(rootKey, 'utf8') : undefined,
          keyFilePassphrase: pass ? fs.readFileSync(pass, 'utf8').trim() : undefined,
        });
        console.log(`imported root ${r.rootId}${rootKey ? '' : ' (offline)'} and issuing CA ${r.issuingId}`);
        changed = true;
        break;
      }
      default:
        throw new DomainError(ErrorCode.BadRequest, `unknown command ${cmd}\n\n${USAGE}`);
    }
  } finally {
    await ds.destroy();
  }
  if (changed && env.NATS_URL) {
    // Running instances reload; if none runs, the next start reads the database anyway.
    const nc = await connectNats(config.natsUrl, 'iis-ca-admin').catch(() => undefined);
    nc?.publish(CaSubjects.changed, '{}');
    await nc?.drain().catch(() => undefined);
  }
}

main(process.argv.slice(2)).catch((e: Error & { code?: string; variable?: string }) => {
  const code = e instanceof ConfigError ? 'CONFIG' : (e.code ?? 'ERROR');
  process.stderr.write(`ca-admin: ${code}: ${e.message}\n`);
  process.exit(1);
});
