import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RevocationEvent, Streams } from '@iis/contracts';
import { takeEvent } from './event-intake';
import { RevocationState } from './revocation-state';
import { RevocationSignatureVerifier, SignatureRejectCode } from './signature-verifier';
import { FakeCa } from './testing/fake-ca';
import { revocationEvent } from './testing/events';

// Real certificates, real signatures (PS256, the default signer), a real state (in a temp directory); only the clock is fixed.
const now = new Date();
const clock = () => now;
let ca: FakeCa;
let signer: Awaited<ReturnType<FakeCa['signer']>>;
let dir: string;
let state: RevocationState;
let verifier: RevocationSignatureVerifier;

beforeAll(async () => {
  ca = await FakeCa.create(clock);
  signer = await ca.signer();
});
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'iis-event-intake-'));
  state = await RevocationState.load(join(dir, 'state.bin'), clock);
  verifier = new RevocationSignatureVerifier(clock, (s) => state.has(s));
  verifier.setTrust([ca.issuing, ca.root].map((c) => Buffer.from(c.rawData)));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const event = (o: Partial<RevocationEvent> = {}) => revocationEvent(now, { issuerId: ca.issuerId, ...o });
/** A stream message as JetStream delivers it: the bytes, a subarray of a larger read buffer. */
const message = (body: object, seq: number, subject = Streams.revocations.eventSubject(ca.issuerId)) => {
  const bytes = Buffer.from(`xx${JSON.stringify(body)}yy`);
  return { data: new Uint8Array(bytes.buffer, bytes.byteOffset + 2, bytes.length - 4), subject, seq };
};

describe('takeEvent', () => {
  it('ok/a signed next event is applied', () => {
    const intake = takeEvent(message(signer.signEvent(event({ serial: '0a1b', logSequence: 1 })), 5), verifier, state);
    expect(intake).toMatchObject({ kind: 'applied', changed: true, event: { serial: '0a1b' } });
    expect(state.has('0a1b')).toBe(true);
    expect(state.lastStreamSequence).toBe(5);
    expect(state.lastLogSequence).toBe(1);
  });

  it('fail/a replayed event (same log sequence again, later in the stream) is rejected and skipped', () => {
    const signed = signer.signEvent(event({ serial: '0a1b', logSequence: 1 }));
    expect(takeEvent(message(signed, 1), verifier, state)).toMatchObject({ kind: 'applied' });
    expect(takeEvent(message(signed, 2), verifier, state)).toMatchObject({ kind: 'rejected', code: 'REPLAYED' });
    expect(state.lastStreamSequence).toBe(2);
    expect(state.lastLogSequence).toBe(1);
  });

  it('fail/an event changed after signing is rejected, even after its signer was cached', () => {
    expect(takeEvent(message(signer.signEvent(event({ serial: '0a1b', logSequence: 1 })), 1), verifier, state)).toMatchObject({ kind: 'applied' });
    const forged = { ...signer.signEvent(event({ serial: '0a1c', logSequence: 2 })), serial: '0a1d' };
    expect(takeEvent(message(forged, 2), verifier, state)).toMatchObject({ kind: 'rejected', code: SignatureRejectCode.BadSignature });
    expect(state.has('0a1d')).toBe(false);
    expect(state.lastStreamSequence).toBe(2);
    expect(state.lastLogSequence).toBe(1);
  });

  it('fail/an unsigned event is rejected', () => {
    expect(takeEvent(message(event({ serial: '0a1b' }), 1), verifier, state)).toMatchObject({ kind: 'rejected', code: SignatureRejectCode.Unsigned });
    expect(state.size).toBe(0);
    expect(state.lastStreamSequence).toBe(1);
  });

  it('fail/not JSON is rejected before any signature check', () => {
    const bytes = Buffer.from('{not json');
    expect(takeEvent({ data: bytes, subject: Streams.revocations.eventSubject(ca.issuerId), seq: 3 }, verifier, state)).toMatchObject({ kind: 'rejected', code: 'NOT_JSON' });
    expect(state.lastStreamSequence).toBe(3);
  });

  it('ok/an event the snapshot already covers advances the position only', () => {
    state.replaceWith([], 7, 10);
    expect(takeEvent(message(signer.signEvent(event({ serial: '0a1b', logSequence: 7 })), 11), verifier, state)).toEqual({ kind: 'covered' });
    expect(state.has('0a1b')).toBe(false);
    expect(state.lastStreamSequence).toBe(11);
  });

  it('fail/a gap in the log sequence applies nothing and keeps the position', () => {
    const intake = takeEvent(message(signer.signEvent(event({ serial: '0a1b', logSequence: 3 })), 4), verifier, state);
    expect(intake).toMatchObject({ kind: 'gap', event: { logSequence: 3 } });
    expect(state.size).toBe(0);
    expect(state.lastStreamSequence).toBe(0);
  });
});
