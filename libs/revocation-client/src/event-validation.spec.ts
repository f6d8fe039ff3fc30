import { EventRejectCode, validateRevocationEvent } from './event-validation';
import { revocationEvent } from './testing/events';

const now = new Date();
const good = revocationEvent(now);
const subject = 'iis.v1.revocation.events.issuing-5a1e00000001';
const json = (v: unknown) => JSON.stringify(v);
const without = (field: string) => json(Object.fromEntries(Object.entries(good).filter(([k]) => k !== field)));
const withField = (field: string, value: unknown) => json({ ...good, [field]: value });

describe('validateRevocationEvent', () => {
  it.each([
    ['ok/a complete event', json(good)],
    ['ok/null deviceId and iccid', json({ ...good, deviceId: null, iccid: null })],
    ['ok/upper-case serial with a zero pad', withField('serial', '005A1E')],
    ['ok/revokedAt with an offset', withField('revokedAt', '2001-02-03T04:05:06+02:00')],
    ['ok/unknown extra fields are dropped', json({ ...good, extra: 'x' })],
  ])('%s', (_name, data) => {
    const result = validateRevocationEvent(Buffer.from(data), subject);
    expect(result.ok).toBe(true);
    if (result.ok) expect(Object.keys(result.event).sort()).toEqual(Object.keys(good).sort());
  });

  it.each([
    ['fail/not JSON', '{"version":1,', EventRejectCode.NotJson, undefined],
    ['fail/empty message', '', EventRejectCode.NotJson, undefined],
    ['fail/a JSON array', '[1]', EventRejectCode.NotAnObject, undefined],
    ['fail/JSON null', 'null', EventRejectCode.NotAnObject, undefined],
    ['fail/version 2', withField('version', 2), EventRejectCode.UnsupportedVersion, 'version'],
    ['fail/version "1"', withField('version', '1'), EventRejectCode.UnsupportedVersion, 'version'],
    ['fail/no serial', without('serial'), EventRejectCode.MissingField, 'serial'],
    ['fail/serial a number', withField('serial', 1234), EventRejectCode.BadField, 'serial'],
    ['fail/serial not hex', withField('serial', 'xyz'), EventRejectCode.BadField, 'serial'],
    ['fail/no issuerId', without('issuerId'), EventRejectCode.MissingField, 'issuerId'],
    ['fail/issuerId with a path', withField('issuerId', '../etc'), EventRejectCode.BadField, 'issuerId'],
    ['fail/issuerId with a dot', withField('issuerId', 'a.b'), EventRejectCode.BadField, 'issuerId'],
    ['fail/issuerId a number', withField('issuerId', 7), EventRejectCode.BadField, 'issuerId'],
    ['fail/unknown reason', withField('reason', 'stolen'), EventRejectCode.BadField, 'reason'],
    ['fail/reason from the prototype', withField('reason', 'toString'), EventRejectCode.BadField, 'reason'],
    ['fail/revokedAt not a date', withField('revokedAt', 'yesterday'), EventRejectCode.BadField, 'revokedAt'],
    ['fail/revokedAt without a zone', withField('revokedAt', '2001-02-03T04:05:06'), EventRejectCode.BadField, 'revokedAt'],
    ['fail/notAfter a number', withField('notAfter', 1700000000), EventRejectCode.BadField, 'notAfter'],
    ['fail/no notAfter', without('notAfter'), EventRejectCode.MissingField, 'notAfter'],
    ['fail/logSequence negative', withField('logSequence', -1), EventRejectCode.BadField, 'logSequence'],
    ['fail/logSequence a fraction', withField('logSequence', 1.5), EventRejectCode.BadField, 'logSequence'],
    ['fail/deviceId a number', withField('deviceId', 5), EventRejectCode.BadField, 'deviceId'],
    ['fail/no iccid', without('iccid'), EventRejectCode.MissingField, 'iccid'],
    ['fail/cause null', withField('cause', null), EventRejectCode.BadField, 'cause'],
  ])('%s', (_name, data, code, field) => {
    const result = validateRevocationEvent(Buffer.from(data), subject);
    expect(result).toMatchObject({ ok: false, code });
    if (field !== undefined) expect(result).toMatchObject({ field });
  });

  it('fail/an event on another issuer\'s subject', () => {
    const result = validateRevocationEvent(json(good), 'iis.v1.revocation.events.issuing-other');
    expect(result).toMatchObject({ ok: false, code: EventRejectCode.SubjectMismatch });
  });
});
