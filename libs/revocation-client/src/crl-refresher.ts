import { CaCertsReply, CrlReply, CrlRequest, DomainError, ErrorCode, Subjects } from '@iis/contracts';
import { CaChain, CrlCheckCode, CrlCheckError } from './ca-chain';
import { CrlFiles } from './crl-writer';
import { RpcClient } from '@iis/messaging';

/** The two CA subjects the agent asks; RPC in real life, a stub in a spec. */
export interface CaClient {
  caCerts(): Promise<CaCertsReply>;
  crl(req: CrlRequest): Promise<CrlReply>;
}

export function rpcCaClient(rpc: RpcClient): CaClient {
  return {
    caCerts: () => rpc.request<Record<string, never>, CaCertsReply>(Subjects.ca.caCerts, {}),
    crl: (req) => rpc.request<CrlRequest, CrlReply>(Subjects.ca.crl, req),
  };
}

export interface CrlRefresherOptions {
  ca: CaClient;
  files: CrlFiles;
  log: (line: string) => void;
  now: () => Date;
  /** Events closer together than this share one refresh. */
  burstMs?: number;
  /** First wait after a failed refresh; it doubles up to maxRetryMs. */
  retryMs?: number;
  maxRetryMs?: number;
  /** Called with the CA certificates (DER) each time the chain was fetched and written. */
  onChain?: (certificates: Buffer[]) => void;
  /** Called once crl.pem holds an issuer's new CRL, which covers the stream up to `coversSequence`. */
  onCrlWritten?: (issuerId: string, coversSequence: number) => void;
}

type IssuerOutcome = 'written' | 'retry' | 'drop';

/** A CRL is fetched again at half its lifetime, within these bounds. */
const MIN_ROUTINE_MS = 5_000;
const MAX_ROUTINE_MS = 10 * 60_000;

/**
 * Keeps `<dir>/ca-chain.pem`, `<dir>/crl/<issuer>.crl.pem` and `<dir>/crl.pem` current.
 * Issuers marked dirty within one burst share one refresh; a CA that does not answer
 * leaves the old files in place and is asked again later, with a growing pause. CRLs are
 * also fetched again before they expire: a broker that checks CRLs refuses every client
 * once the CRL is past its nextUpdate.
 */
export class CrlRefresher {
  private chain: CaChain | undefined;
  private chainStale = true;
  /** Issuers to fetch, each with the stream sequence the CRL must include. */
  private readonly pending = new Map<string, number>();
  /** Every issuer seen, with the highest sequence asked for. */
  private readonly known = new Map<string, number>();
  private readonly routineDue = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private routineTimer: NodeJS.Timeout | undefined;
  private cycle: Promise<void> | undefined;
  private failures = 0;
  private stopped = false;
  private floorSequence = 0;

  constructor(private readonly opts: CrlRefresherOptions) {}

  /**
   * First round: the CA chain, then a CRL for each of its issuers and of `issuerIds`
   * (issuers known from an earlier run). Resolves after this attempt, whatever its outcome.
   */
  async start(issuerIds: string[], atLeastSequence: number): Promise<void> {
    this.floorSequence = atLeastSequence;
    for (const id of issuerIds) this.want(id, atLeastSequence);
    await this.kick();
  }

  /** Events of `issuerId` were applied up to `streamSequence`: its CRL must be fetched again. */
  markDirty(issuerId: string, streamSequence: number): void {
    this.want(issuerId, streamSequence);
    if (!this.cycle) this.schedule(this.opts.burstMs ?? 100);
  }

  /**
   * No new rounds from now on. Resolves when a round in flight has ended; the caller may
   * close the NATS connection first so that a pending request fails fast.
   */
  stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.routineTimer) clearTimeout(this.routineTimer);
    return this.cycle ?? Promise.resolve();
  }

  private want(issuerId: string, seq: number): void {
    this.pending.set(issuerId, Math.max(seq, this.pending.get(issuerId) ?? 0));
    this.known.set(issuerId, Math.max(seq, this.known.get(issuerId) ?? 0));
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    const at = Date.now() + delayMs;
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      void this.kick();
    }, delayMs);
    this.timer.unref();
  }

  /** Runs one cycle; never two at once. */
  private kick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.cycle) return this.cycle;
    this.cycle = this.runCycle()
      .catch((e: unknown) => {
        this.failures++;
        this.opts.log(`agent: crl refresh failed: ${(e as Error)?.message ?? String(e)}`);
      })
      .finally(() => {
        this.cycle = undefined;
        if (this.pending.size > 0 || this.chainStale) this.schedule(this.failures === 0 ? (this.opts.burstMs ?? 100) : this.backoffMs());
        this.scheduleRoutine();
      });
    return this.cycle;
  }

  private backoffMs(): number {
    const first = this.opts.retryMs ?? 2000;
    return Math.min(this.opts.maxRetryMs ?? 30_000, first * 2 ** Math.max(0, this.failures - 1));
  }

  /** Issuer CRLs written in this cycle and the stream sequence each covers. */
  private readonly written: [string, number][] = [];

  private async runCycle(): Promise<void> {
    let ok = true;
    if (this.chainStale) ok = await this.refreshChain();
    let wrote = 0;
    if (this.chain) {
      for (const [issuerId, seq] of [...this.pending]) {
        if (this.stopped) return;
        const outcome = await this.refreshIssuer(issuerId, seq);
        if (outcome === 'retry') {
          ok = false;
          continue;
        }
        // A newer event for this issuer may have arrived meanwhile: then it stays pending.
        if (this.pending.get(issuerId) === seq) this.pending.delete(issuerId);
        if (outcome === 'written') wrote++;
      }
    }
    if (wrote > 0) {
      await this.opts.files.rebuildBundle();
      // Only now does crl.pem, the file brokers read, hold the new CRLs.
      for (const [issuerId, covers] of this.written.splice(0)) this.opts.onCrlWritten?.(issuerId, covers);
    }
    this.failures = ok ? 0 : this.failures + 1;
  }

  private async refreshChain(): Promise<boolean> {
    try {
      const chain = CaChain.fromReply(await this.opts.ca.caCerts());
      const file = await this.opts.files.writeChain(chain.pem());
      this.chain = chain;
      this.chainStale = false;
      this.opts.onChain?.(chain.ders);
      for (const id of chain.crlIssuerIds()) if (!this.known.has(id)) this.want(id, this.floorSequence);
      this.opts.log(`agent: wrote ca chain certificates=${chain.certificates.length} file=${file}`);
      return true;
    } catch (e) {
      if (this.stopped) return false;
      this.opts.log(`agent: CA chain not refreshed (${describe(e)}); ${this.chain ? 'keeping the old file' : 'no chain yet'}, will retry`);
      return false;
    }
  }

  private async refreshIssuer(issuerId: string, atLeastSequence: number): Promise<IssuerOutcome> {
    const chain = this.chain!;
    try {
      const reply = await this.opts.ca.crl({ issuerId, atLeastSequence });
      if (!reply || reply.issuerId !== issuerId || typeof reply.crl !== 'string') {
        throw new Error(`the CA answered for issuer ${JSON.stringify(reply?.issuerId)} without a CRL`);
      }
      if (typeof reply.appliedSequence === 'number' && reply.appliedSequence < atLeastSequence) {
        throw new Error(`the CRL covers stream sequence ${reply.appliedSequence}, not yet ${atLeastSequence}`);
      }
      const checked = await chain.check(reply.crl);
      const file = await this.opts.files.writeIssuerCrl(issuerId, reply.crl);
      this.opts.log(`agent: wrote crl issuer=${issuerId} entries=${checked.entries} file=${file}`);
      this.written.push([issuerId, typeof reply.appliedSequence === 'number' ? reply.appliedSequence : atLeastSequence]);
      this.planRoutine(issuerId, checked.nextUpdate);
      return 'written';
    } catch (e) {
      if (this.stopped) return 'retry';
      if (e instanceof DomainError && e.code === ErrorCode.NotFound) {
        this.opts.log(`agent: the CA has no CRL for issuer=${issuerId} (${e.message}); not asking again until it has new events`);
        return 'drop';
      }
      if (e instanceof CrlCheckError && e.code === CrlCheckCode.UnknownIssuer) this.chainStale = true;
      this.opts.log(`agent: crl not refreshed issuer=${issuerId} (${describe(e)}); keeping the old file, will retry`);
      return 'retry';
    }
  }

  private planRoutine(issuerId: string, nextUpdate: Date | undefined): void {
    const now = this.opts.now().getTime();
    const half = nextUpdate ? (nextUpdate.getTime() - now) / 2 : MAX_ROUTINE_MS;
    this.routineDue.set(issuerId, now + Math.min(MAX_ROUTINE_MS, Math.max(MIN_ROUTINE_MS, half)));
  }

  private scheduleRoutine(): void {
    if (this.stopped || this.routineDue.size === 0) return;
    if (this.routineTimer) clearTimeout(this.routineTimer);
    const next = Math.min(...this.routineDue.values());
    this.routineTimer = setTimeout(() => {
      this.routineTimer = undefined;
      const now = this.opts.now().getTime();
      for (const [id, due] of this.routineDue) {
        if (due <= now) {
          this.routineDue.delete(id);
          this.want(id, this.known.get(id) ?? this.floorSequence);
        }
      }
      // A chain can change too (a new issuing CA): ask for it on each routine round.
      this.chainStale = true;
      if (!this.cycle) this.schedule(0);
    }, Math.max(0, next - this.opts.now().getTime()));
    this.routineTimer.unref();
  }
}

function describe(e: unknown): string {
  if (e instanceof DomainError || e instanceof CrlCheckError) return `${e.code}: ${e.message}`;
  return (e as Error)?.message ?? String(e);
}
