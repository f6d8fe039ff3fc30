import { ErrorCode } from '@iis/contracts';
import { simCommand } from './sim-command.rules';

describe('simCommand', () => {
  it.each([
    ['ok/with reason and actor', { iccid: '89441000303122845215', reason: '  roaming fraud ', actor: 'sec' }, { iccid: '89441000303122845215', reason: 'roaming fraud', actor: 'sec' }],
    ['ok/default reason, unknown actor', { iccid: '894410003031228452' }, { iccid: '894410003031228452', reason: 'default', actor: 'unknown' }],
  ])('%s', (_n, cmd, expected) => {
    expect(simCommand(cmd, 'default')).toEqual(expected);
  });

  it.each([
    ['fail/no command', null],
    ['fail/iccid too short', { iccid: '8944100030312284' }],
    ['fail/iccid not digits', { iccid: '8944100030312284521X' }],
    ['fail/iccid a number', { iccid: 89441000303122845215 }],
  ])('%s', (_n, cmd) => {
    expect(() => simCommand(cmd as never, 'default')).toThrow(expect.objectContaining({ code: ErrorCode.BadRequest }));
  });
});
