import { RevocationReason, RevocationReasons, RevocationSnapshotSubjects, SnapshotPage, SnapshotPageRequest } from '@iis/contracts';
import type { RpcClient } from '@iis/messaging';
import { isIssuerId } from './issuer-id';
import type { HeldRevocation } from './revocation-state';
import { normalizeSerial } from './serial-number';
import type { RevocationSignatureVerifier } from './signature-verifier';

/** Where snapshot pages come from: the revocation service over NATS, a stub in a spec. */
export type SnapshotSource = (req: SnapshotPageRequest) => Promise<SnapshotPage>;

export function rpcSnapshotSource(rpc: RpcClient): SnapshotSource {
  return (req) => rpc.request<SnapshotPageRequest, SnapshotPage>(RevocationSnapshotSubjects.page, req, 15_000);
}

export class SnapshotRejected extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'SnapshotRejected';
  }
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/**
 * Reads the whole snapshot page by page, every page verified (signature, one `upTo` for all,
 * cursors that move forward, well-formed entries). Nothing is returned unless all of it checks.
 */
export async function fetchSnapshot(source: SnapshotSource, verifier: RevocationSignatureVerifier): Promise<{ upTo: number; entries: HeldRevocation[] }> {
  const entries: HeldRevocation[] = [];
  let upTo: number | undefined;
  let after = 0;
  for (;;) {
    const page = await source(upTo === undefined ? {} : { upTo, after });
    if (!page || typeof page !== 'object' || !Array.isArray(page.entries)) throw new SnapshotRejected('BAD_PAGE', 'the snapshot page has no entries array');
    const checked = verifier.verifyPage(page);
    if (!checked.ok) throw new SnapshotRejected(checked.code, `snapshot page after ${after}: ${checked.detail}`);
    if (upTo !== undefined && page.upTo !== upTo) throw new SnapshotRejected('BAD_PAGE', `snapshot page says upTo ${page.upTo}, the first said ${upTo}`);
    if (page.after !== after) throw new SnapshotRejected('BAD_PAGE', `asked for the page after ${after}, got the one after ${page.after}`);
    if (!Number.isSafeInteger(page.upTo) || page.upTo < 0) throw new SnapshotRejected('BAD_PAGE', 'upTo is not a log sequence');
    upTo = page.upTo;
    for (const e of page.entries) {
      const [serial, issuerId, notAfter, reason, cn] = Array.isArray(e) ? e : [];
      if (
        typeof serial !== 'string' || normalizeSerial(serial) === undefined || !isIssuerId(issuerId) || typeof notAfter !== 'string' || !ISO.test(notAfter) ||
        typeof reason !== 'string' || !Object.prototype.hasOwnProperty.call(RevocationReasons, reason) || (cn !== null && cn !== undefined && typeof cn !== 'string')
      ) {
        throw new SnapshotRejected('BAD_ENTRY', `snapshot entry ${JSON.stringify(e).slice(0, 120)} is malformed`);
      }
      entries.push({ serial, issuerId: issuerId as string, notAfter, reason: reason as RevocationReason, subjectCommonName: cn ?? null });
    }
    if (page.nextCursor === null) return { upTo, entries };
    if (!Number.isSafeInteger(page.nextCursor) || page.nextCursor <= after || page.nextCursor > upTo) {
      throw new SnapshotRejected('BAD_PAGE', `nextCursor ${page.nextCursor} does not move forward within upTo ${upTo}`);
    }
    after = page.nextCursor;
  }
}
