import * as path from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import { redact } from '@iis/config';
import { RevocationEvent } from '@iis/contracts';
import { AgentError, AgentErrorCode } from './agent.errors';
import type { AgentStats } from './agent-stats';
import { CrlRefresher, rpcCaClient } from './crl-refresher';
import { CrlFiles } from './crl-writer';
import { Intake, StreamMessage, takeEvent, takeLiveEvent } from './event-intake';
import { resyncReason, StreamBounds } from './log-sequence';
import { RevocationSignatureVerifier } from './signature-verifier';
import { fetchSnapshot, rpcSnapshotSource, SnapshotSource } from './snapshot-client';
import { readPemCertificates } from './pem-certificates';
import { LocalCheckServer, startLocalCheckServer } from './local-check-server';
import { connectNats, RpcClient } from '@iis/messaging';
import { HeldRevocation, RevocationState } from './revocation-state';
import { StreamFollower } from './stream-follower';
import { Heartbeat } from './heartbeat';
import { MosquittoDriver, MosquittoOptions } from './brokers/mosquitto-driver';
import { PidFileReloader } from './brokers/pid-file-reloader';
import { BrokerIdentity, BrokerIdentityOptions } from './brokers/broker-identity';
import { PolicyBundleFollower } from './policy-bundle-follower';

export interface AgentOptions {
  natsUrl: string;
  dir: string;
  name: string;
  httpPort?: number;
  log?: (line: string) => void;
  /** Drive a Mosquitto next to the agent: reload its CRL, cut live sessions of revoked devices. */
  mosquitto?: MosquittoOptions;
  /** An nginx terminating mTLS with `ssl_crl <dir>/crl.pem`: reloaded (SIGHUP) after each CRL update. */
  nginx?: { pidFile: string };
  /** Keep the broker's own server certificate fresh (CA server profile), reloading the broker after a renewal. */
  brokerIdentity?: BrokerIdentityOptions;
  /** PEM with the public key(s) trusted for signed policy bundles; default $IIS_AGENT_POLICY_KEY_FILE. Absent: no local policy. */
  policyKeyFile?: string;
  /**
   * PEM root certificate(s) that revocation signers must chain to. Absent: the root(s) of the
   * CA chain the CA serves (trust on first use, then kept in `<dir>/ca-chain.pem`).
   */
  trustAnchorFile?: string;
  /** Where snapshot pages come from; default the revocation service over NATS. */
  snapshotSource?: SnapshotSource;
}

export interface RunningAgent {
  isRevoked(serialHex: string): boolean;
  stats: AgentStats;
  onRevoked(l: (e: RevocationEvent) => void): void;
  ready: Promise<void>;
  stop(): Promise<void>;
  /** Local policy from the signed bundle (issue 7); undefined when no policy key is configured. */
  policy?: PolicyBundleFollower;
}

/** Binary since issue 5 (state-codec.ts); `state.json` of earlier versions is read once and replaced. */
const STATE_FILE = 'state.bin';
const LEGACY_STATE_FILE = 'state.json';
/** Events closer together than this share one state save. */
const SAVE_BURST_MS = 100;
const SAVE_RETRY_MS = 1000;

/**
 * Starts the gateway agent: loads `<dir>/state.json` (a corrupt file rejects, naming it),
 * connects to NATS (an unreachable server rejects), opens the optional loopback check,
 * then follows revocations and keeps the CA chain and CRL files in `<dir>` current.
 */
export async function runAgent(opts: AgentOptions): Promise<RunningAgent> {
  const log = opts.log ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const now = () => new Date();
  const files = new CrlFiles(path.resolve(opts.dir));
  await files.prepare();
  const state = await RevocationState.load(path.join(files.dir, STATE_FILE), now, undefined, path.join(files.dir, LEGACY_STATE_FILE));
  const verifier = new RevocationSignatureVerifier(now, (serial) => state.has(serial));
  const pinnedRoots = opts.trustAnchorFile ? await readPemCertificates(opts.trustAnchorFile) : undefined;
  if (pinnedRoots?.length === 0) throw new AgentError(AgentErrorCode.StateCorrupt, `trust anchor file ${opts.trustAnchorFile} holds no certificate`);
  // Offline start: the chain kept from the last run lets the agent check events before the CA answers.
  const keptChain = await readPemCertificates(files.chainFile).catch(() => []);
  if (keptChain.length > 0) verifier.setTrust(keptChain, pinnedRoots);
  let nc: NatsConnection;
  try {
    nc = await connectNats(opts.natsUrl, `iis-gateway-agent-${opts.name}`);
  } catch (e) {
    throw new AgentError(AgentErrorCode.NatsConnect, `cannot connect to NATS at ${redact(opts.natsUrl)}: ${(e as Error)?.message ?? String(e)}`);
  }
  const mosquitto = opts.mosquitto ? new MosquittoDriver(opts.mosquitto, log) : undefined;
  const nginx = opts.nginx ? new PidFileReloader('nginx', opts.nginx.pidFile, log) : undefined;
  const snapshots = opts.snapshotSource ?? rpcSnapshotSource(new RpcClient(nc));
  const agent = new GatewayAgent(nc, state, files, log, now, { verifier, pinnedRoots, snapshots }, mosquitto, opts.name, nginx);
  const policyKeyFile = opts.policyKeyFile ?? process.env.IIS_AGENT_POLICY_KEY_FILE;
  if (policyKeyFile) {
    try {
      agent.policy = await PolicyBundleFollower.fromKeyFile(files.dir, policyKeyFile, log);
      await agent.policy.loadLastGood();
      await agent.policy.follow(nc);
    } catch (e) {
      await nc.close().catch(() => undefined);
      throw new AgentError(AgentErrorCode.NatsConnect, `policy bundles: ${(e as Error)?.message ?? String(e)}`);
    }
  }
  if (opts.httpPort !== undefined) {
    try {
      agent.server = await startLocalCheckServer(opts.httpPort, { isRevoked: (s) => agent.isRevoked(s), stats: () => agent.stats, ready: () => agent.enforcing });
    } catch (e) {
      await nc.close().catch(() => undefined);
      throw e;
    }
  }
  agent.start(await files.issuerIds());
  if (opts.brokerIdentity) {
    agent.identity = new BrokerIdentity(new RpcClient(nc), opts.brokerIdentity, log, () => mosquitto?.reload());
    await agent.identity.start();
  }
  return agent;
}

/** A snapshot entry as the event listeners know them; what the snapshot does not carry is left empty. */
function snapshotEvent(e: HeldRevocation, upTo: number, now: Date): RevocationEvent {
  return {
    version: 1, logSequence: upTo, serial: e.serial, issuerId: e.issuerId, reason: e.reason ?? 'unspecified', revokedAt: now.toISOString(),
    notAfter: e.notAfter, deviceId: null, iccid: null, cause: 'snapshot', subjectCommonName: e.subjectCommonName ?? null,
  };
}

/** The running agent; each part (state, follower, CRL files, check server) does one job. */
class GatewayAgent implements RunningAgent {
  ready: Promise<void>;
  server: LocalCheckServer | undefined;
  identity: BrokerIdentity | undefined;
  policy: PolicyBundleFollower | undefined;
  private readonly follower: StreamFollower;
  private readonly refresher: CrlRefresher;
  private readonly listeners: ((e: RevocationEvent) => void)[] = [];
  private readonly heartbeat: Heartbeat;
  private following = false;
  private applied = 0;
  private rejected = 0;
  private resyncs = 0;
  /** Why the next consumer must start from the snapshot (a gap was seen). */
  private resyncWanted: string | undefined;
  private connected = true;
  private saveTimer: NodeJS.Timeout | undefined;
  private stopping: Promise<void> | undefined;
  private onFollowing!: () => void;

  constructor(
    private readonly nc: NatsConnection,
    private readonly state: RevocationState,
    files: CrlFiles,
    private readonly log: (line: string) => void,
    private readonly now: () => Date,
    private readonly trust: { verifier: RevocationSignatureVerifier; pinnedRoots: Buffer[] | undefined; snapshots: SnapshotSource },
    private readonly mosquitto?: MosquittoDriver,
    name = 'agent',
    private readonly nginx?: PidFileReloader,
  ) {
    this.heartbeat = new Heartbeat(
      nc,
      () => ({ name, lastStreamSequence: this.state.lastStreamSequence, revokedCount: this.state.size, rejected: this.rejected }),
      now,
    );
    this.refresher = new CrlRefresher({
      ca: rpcCaClient(new RpcClient(nc)),
      files,
      log,
      now,
      onChain: (ders) => this.trust.verifier.setTrust(ders, this.trust.pinnedRoots),
      onCrlWritten: (issuerId, covers) => {
        this.nginx?.reload();
        void this.mosquitto?.crlWritten(issuerId, covers);
      },
    });
    this.follower = new StreamFollower({
      nc,
      lastSequence: () => this.state.lastStreamSequence,
      onMessage: (m) => this.handle(m),
      onLive: (m) => this.handleLive(m),
      prepare: (bounds) => this.prepareToFollow(bounds),
      onRunning: () => this.onFollowing(),
      log,
    });
  }

  get stats(): AgentStats {
    return {
      applied: this.applied,
      rejected: this.rejected,
      lastStreamSequence: this.state.lastStreamSequence,
      revokedCount: this.state.size,
      connected: this.connected,
      lastLogSequence: this.state.lastLogSequence,
      resyncs: this.resyncs,
    };
  }

  isRevoked(serialHex: string): boolean {
    return this.state.has(serialHex);
  }

  onRevoked(listener: (e: RevocationEvent) => void): void {
    this.listeners.push(listener);
  }

  start(issuersFromFiles: string[]): void {
    void this.watchConnection();
    const following = new Promise<void>((resolve) => (this.onFollowing = resolve));
    const issuers = [...new Set([...issuersFromFiles, ...this.state.issuerIds()])];
    const initialCrls = this.refresher.start(issuers, this.state.lastStreamSequence);
    this.follower.start();
    this.ready = Promise.all([initialCrls, following]).then(() => this.heartbeat.start());
    this.ready.then(() => (this.following = true), () => undefined);
  }

  /** Answers checks with substance: following the stream, or holding a set from an earlier run (offline start). */
  get enforcing(): boolean {
    return this.following || this.state.lastLogSequence > 0;
  }

  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.heartbeat.stop();
    this.identity?.stop();
    this.policy?.stop();
    await this.follower.stop();
    const refresherDone = this.refresher.stop();
    await this.server?.close();
    await this.state.save();
    // Closing NATS first makes a CRL request in flight fail now rather than at its timeout.
    await this.nc.drain().catch(() => undefined);
    await refresherDone.catch(() => undefined);
    await this.mosquitto?.stop();
  }

  /**
   * Before following: without trusted CA certificates nothing can be checked, so wait; a new
   * agent, a stream that lost messages or was recreated, or a gap seen in the log sequence
   * makes the agent take the signed snapshot over, then follow the stream after `bounds.lastSequence`.
   */
  private async prepareToFollow(bounds: StreamBounds): Promise<void> {
    if (!this.trust.verifier.hasTrust()) throw new Error('no trusted CA chain yet to check signed events');
    const reason = this.resyncWanted ?? resyncReason(this.state, bounds);
    if (!reason) return;
    const before = new Set(this.state.issuerIds());
    const { upTo, entries } = await fetchSnapshot(this.trust.snapshots, this.trust.verifier);
    const fresh = entries.filter((e) => !this.state.has(e.serial));
    // Stream messages up to bounds.lastSequence were published before the snapshot was asked for, so it covers them.
    this.state.replaceWith(entries, upTo, bounds.lastSequence);
    // Serials the agent learns only now: brokers cut their live sessions as for an event.
    for (const e of fresh) this.tellRevoked(snapshotEvent(e, upTo, this.now()), bounds.lastSequence);
    this.resyncWanted = undefined;
    this.resyncs++;
    this.log(`agent: resynced from the snapshot (${reason}): ${entries.length} revoked, log seq ${upTo}, following stream after seq=${bounds.lastSequence}`);
    for (const issuerId of new Set([...before, ...this.state.issuerIds()])) this.refresher.markDirty(issuerId, bounds.lastSequence);
    await this.state.save().catch((e: Error) => this.log(`agent: cannot save ${this.state.file}: ${e.message}; will retry`));
    this.heartbeat.send();
  }

  /**
   * One stream message: shape, signature, then its place in the log sequence; apply
   * (idempotent), tell listeners, then batch save and CRL refresh. A gap stops following
   * until the snapshot has been taken over.
   */
  private handle(m: StreamMessage): void {
    const seq = m.seq;
    // Only messages past lastStreamSequence come here: the follower filters them (fromStream).
    if (this.resyncWanted) return;
    const intake = takeEvent(m, this.trust.verifier, this.state);
    if (intake.kind === 'rejected') {
      this.rejected++;
      this.log(`agent: rejected message seq=${seq} subject=${m.subject} code=${intake.code}${intake.detail}`);
    } else if (intake.kind === 'gap') {
      this.resyncWanted = `log seq ${intake.event.logSequence} follows ${this.state.lastLogSequence}: events were missed`;
      this.log(`agent: gap at stream seq=${seq}: ${this.resyncWanted}; resyncing from the snapshot`);
      this.follower.restart();
      return;
    } else if (intake.kind === 'applied') {
      this.onApplied(intake, seq);
    }
    this.scheduleSave();
  }

  /** A live copy that is the next message: applied as from the stream, or left to the stream (false). */
  private handleLive(m: StreamMessage): boolean {
    if (this.resyncWanted) return false;
    const intake = takeLiveEvent(m, this.trust.verifier, this.state);
    if (!intake) return false;
    this.onApplied(intake, m.seq);
    this.scheduleSave();
    return true;
  }

  /** An applied event that changed the set: count, log, tell listeners and brokers, refresh the CRL. */
  private onApplied(intake: Extract<Intake, { kind: 'applied' }>, seq: number): void {
    if (!intake.changed) return;
    const event = intake.event;
    const release = event.reason === 'removeFromCRL';
    this.applied++;
    this.log(`agent: applied ${release ? 'release' : 'revocation'} serial=${event.serial} issuer=${event.issuerId} seq=${seq}`);
    if (!release) {
      this.tellRevoked(event, seq);
    } else {
      this.mosquitto?.released(event);
    }
    this.refresher.markDirty(event.issuerId, seq);
  }

  /** Listeners (Node TLS guard) and Mosquitto learn of a serial newly revoked. */
  private tellRevoked(event: RevocationEvent, streamSequence: number): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (e) {
        this.log(`agent: onRevoked listener failed for serial=${event.serial}: ${(e as Error)?.message ?? String(e)}`);
      }
    }
    this.mosquitto?.revoked(event, streamSequence);
  }

  private scheduleSave(delayMs = SAVE_BURST_MS): void {
    if (this.saveTimer || this.stopping) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.heartbeat.send();
      this.state.save().catch((e: Error) => {
        this.log(`agent: cannot save ${this.state.file}: ${e.message}; will retry`);
        this.scheduleSave(SAVE_RETRY_MS);
      });
    }, delayMs);
    this.saveTimer.unref();
  }

  private async watchConnection(): Promise<void> {
    for await (const s of this.nc.status()) {
      if (s.type === 'disconnect' && this.connected) {
        this.connected = false;
        this.log(`agent: NATS disconnected (${s.server}); enforcing the revocations already held`);
      } else if (s.type === 'reconnect') {
        this.connected = true;
        this.log(`agent: NATS reconnected (${s.server})`);
      }
    }
    this.connected = false;
  }
}
