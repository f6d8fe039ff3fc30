import { judgeLogSequence, resyncReason } from './log-sequence';

describe('judgeLogSequence', () => {
  it.each([
    ['ok/the next one applies', 6, 5, 0, 'apply'],
    ['ok/the first after a snapshot applies', 11, 10, 10, 'apply'],
    ['ok/the first ever applies', 1, 0, 0, 'apply'],
    ['ok/covered by the snapshot', 9, 10, 10, 'covered'],
    ['ok/the snapshot sequence itself is covered', 10, 12, 10, 'covered'],
    ['fail/replay of an applied one', 12, 12, 10, 'replay'],
    ['fail/replay without any snapshot', 3, 5, 0, 'replay'],
    ['fail/gap of one', 7, 5, 0, 'gap'],
    ['fail/gap after the snapshot', 20, 10, 10, 'gap'],
  ])('%s', (_n, seq, applied, upTo, verdict) => {
    expect(judgeLogSequence(seq, applied, upTo)).toBe(verdict);
  });
});

describe('resyncReason', () => {
  const at = (lastStreamSequence: number, lastLogSequence = lastStreamSequence, size = 1) => ({ lastStreamSequence, lastLogSequence, size });
  it.each([
    ['ok/stream holds everything after the position', at(10), { firstSequence: 1, lastSequence: 40 }],
    ['ok/stream starts right after the position', at(10), { firstSequence: 11, lastSequence: 40 }],
    ['ok/stream purged exactly up to the position', at(10), { firstSequence: 11, lastSequence: 10 }],
  ])('%s', (_n, position, stream) => {
    expect(resyncReason(position, stream)).toBeNull();
  });

  it.each([
    ['fail/a new agent', at(0, 0, 0), { firstSequence: 1, lastSequence: 3 }, /new agent/],
    ['fail/a new agent with an empty stream', at(0, 0, 0), { firstSequence: 1, lastSequence: 0 }, /new agent/],
    ['fail/messages purged by max-age', at(10), { firstSequence: 15, lastSequence: 40 }, /removed/],
    ['fail/whole stream purged', at(10), { firstSequence: 31, lastSequence: 30 }, /removed/],
    ['fail/stream recreated', at(10), { firstSequence: 1, lastSequence: 4 }, /recreated/],
  ])('%s', (_n, position, stream, why) => {
    expect(resyncReason(position, stream)).toMatch(why);
  });
});
