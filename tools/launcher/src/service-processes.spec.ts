import { serviceExecArgv, SERVICE_MAX_SEMI_SPACE_MB } from './service-processes';

describe('serviceExecArgv', () => {
  const ours = `--max-semi-space-size=${SERVICE_MAX_SEMI_SPACE_MB}`;
  it.each([
    ['ok/nothing chosen: the launcher\'s flags and the young generation size', [], undefined, [ours]],
    ['ok/the launcher\'s own flags are kept', ['--enable-source-maps'], '', ['--enable-source-maps', ours]],
    ['ok/chosen in NODE_OPTIONS: left to it', [], '--require x.js --max-semi-space-size=8', []],
    ['ok/chosen in the launcher\'s flags, V8 spelling: left to it', ['--max_semi_space_size=32'], undefined, ['--max_semi_space_size=32']],
  ] as [string, string[], string | undefined, string[]][])('%s', (_n, execArgv, nodeOptions, expected) => {
    expect(serviceExecArgv(execArgv, nodeOptions)).toEqual(expected);
  });
});
