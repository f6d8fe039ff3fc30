/**
 * Every NATS subject the suite uses, defined once. Subjects are versioned (`v1`):
 * a breaking change to a message gets a new subject, never an in-place edit.
 */
export const Subjects = {
  onboarding: {
    registerDevice: 'iis.v1.onboarding.devices.register',
    getDevice: 'iis.v1.onboarding.devices.get',
    createSecret: 'iis.v1.onboarding.secrets.create',
    getSim: 'iis.v1.onboarding.sims.get',
    markSimLost: 'iis.v1.onboarding.sims.mark-lost',
  },
  ca: {
    issue: 'iis.v1.ca.certificates.issue',
    findCertificates: 'iis.v1.ca.certificates.find',
    caCerts: 'iis.v1.ca.cacerts',
    crl: 'iis.v1.ca.crl',
  },
  policy: {
    decide: 'iis.v1.policy.decide',
  },
  attestation: {
    challenge: 'iis.v1.attestation.challenges.create',
    consumeChallenge: 'iis.v1.attestation.challenges.consume',
    verifyEvidence: 'iis.v1.attestation.evidence.verify',
    getResult: 'iis.v1.attestation.results.get',
    /** A device's results, newest first (operators). */
    deviceResults: 'iis.v1.attestation.results.by-device',
    redeemResult: 'iis.v1.attestation.results.redeem',
    /** Gives a redeemed result back when no certificate came of the enrollment that spent it. */
    releaseResult: 'iis.v1.attestation.results.release',
  },
  revocation: {
    reportSimLost: 'iis.v1.revocation.sims.report-lost',
  },
} as const;

const EVENTS_PREFIX = 'iis.v1.revocation.events.';
const LIVE_PREFIX = 'iis.v1.revocation.live.';

/** JetStream streams: facts that must not be lost. */
export const Streams = {
  revocations: {
    name: 'IIS_REVOCATIONS_V1',
    subjects: [`${EVENTS_PREFIX}>`],
    /** One subject per issuer lets a gateway follow only the issuers it trusts. */
    eventSubject: (issuerId: string) => `${EVENTS_PREFIX}${issuerId}`,
    /**
     * After JetStream stored an event, the relay publishes the same bytes here on core NATS,
     * the stream sequence as the last token (`iis.v1.revocation.live.<issuerId>.<seq>`: no
     * header to decode per message). Agents apply the live copy when it is the next one and
     * catch up from the stream for anything else: the fan-out to every agent is one core NATS
     * publish instead of one JetStream consumer delivery per agent.
     */
    liveSubject: (issuerId: string, streamSequence: number) => `${LIVE_PREFIX}${issuerId}.${streamSequence}`,
    liveSubjects: `${LIVE_PREFIX}>`,
    /** The live subject for an event stored under `eventSubject` at `streamSequence`; undefined for another subject. */
    liveCopyOf: (eventSubject: string, streamSequence: number): string | undefined =>
      eventSubject.startsWith(EVENTS_PREFIX) ? Streams.revocations.liveSubject(eventSubject.slice(EVENTS_PREFIX.length), streamSequence) : undefined,
    /** The event subject and stream sequence a live subject names; undefined when it names none. */
    fromLiveSubject: (subject: string): { eventSubject: string; streamSequence: number } | undefined => {
      // iis.v1.revocation.live.<issuerId>.<seq>; an issuer id holds no dot.
      const dot = subject.lastIndexOf('.');
      const streamSequence = Number(subject.slice(dot + 1));
      if (!subject.startsWith(LIVE_PREFIX) || dot <= LIVE_PREFIX.length || !Number.isSafeInteger(streamSequence) || streamSequence <= 0) return undefined;
      return { eventSubject: EVENTS_PREFIX + subject.slice(LIVE_PREFIX.length, dot), streamSequence };
    },
    /** Core NATS, about every second: `{"lastSequence": n}`, the stream's end, so an agent notices a live copy it lost. */
    tick: 'iis.v1.revocation.tick',
  },
} as const;

/** The body of Streams.revocations.tick: the stream sequence of the last event stored. */
export interface RevocationTick {
  lastSequence: number;
}

/** Queue groups: a second instance of a service shares the load with no other change. */
export const QueueGroups = {
  onboarding: 'iis-onboarding',
  attestation: 'iis-attestation',
  ca: 'iis-ca',
  policy: 'iis-policy',
  revocation: 'iis-revocation',
} as const;
