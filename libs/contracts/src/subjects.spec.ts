import { Streams } from './subjects';

describe('revocation live subjects', () => {
  it('ok/an event subject and its stream sequence make the live subject and come back from it', () => {
    const live = Streams.revocations.liveCopyOf(Streams.revocations.eventSubject('issuing-1a'), 42);
    expect(live).toBe('iis.v1.revocation.live.issuing-1a.42');
    expect(Streams.revocations.fromLiveSubject(live!)).toEqual({ eventSubject: 'iis.v1.revocation.events.issuing-1a', streamSequence: 42 });
  });

  it.each([
    ['no sequence', 'iis.v1.revocation.live.issuing-1a'],
    ['a sequence that is not a number', 'iis.v1.revocation.live.issuing-1a.x1'],
    ['sequence 0', 'iis.v1.revocation.live.issuing-1a.0'],
    ['no issuer', 'iis.v1.revocation.live.42'],
    ['another subject', 'iis.v1.revocation.tick.issuing-1a.42'],
  ])('bad/%s names nothing', (_what, subject) => {
    expect(Streams.revocations.fromLiveSubject(subject)).toBeUndefined();
  });

  it('bad/a subject outside the stream has no live copy', () => {
    expect(Streams.revocations.liveCopyOf('iis.v1.policy.facts.x', 3)).toBeUndefined();
  });
});
