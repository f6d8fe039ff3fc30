import { checker, parseCommandArgs, positionals, UsageError } from './args';
import { ExitCode } from './exit-codes';

const usage = 'idctl test --serial S';

describe('checker', () => {
  const check = checker(usage);
  type Case = [name: string, run: () => unknown, expected: unknown];

  it.each<Case>([
    ['ok/serial', () => check.serial('--serial', 'SN-0001'), 'SN-0001'],
    ['ok/iccid-18-digits', () => check.iccid('--iccid', '894410000000000001'), '894410000000000001'],
    ['ok/iccid-22-digits', () => check.iccid('--iccid', '8944100000000000000001'), '8944100000000000000001'],
    ['ok/imsi-6-digits', () => check.imsi('--imsi', '234100'), '234100'],
    ['ok/imsi-15-digits', () => check.imsi('--imsi', '234100000000001'), '234100000000001'],
    ['ok/imei-15-digits', () => check.imei('--imei', '490154203237518'), '490154203237518'],
    ['ok/ttl', () => check.seconds('--ttl', '3600'), 3600],
    ['ok/port-0', () => check.port('--http-port', '0'), 0],
    ['ok/port-65535', () => check.port('--http-port', '65535'), 65535],
    ['ok/name', () => check.name('--name', 'gw-01_a'), 'gw-01_a'],
    ['ok/nats-url', () => check.url('--nats', 'nats://127.0.0.1:4222', ['nats:', 'tls:']), 'nats://127.0.0.1:4222'],
    ['ok/text-with-spaces', () => check.text('--reason', 'left in a taxi'), 'left in a taxi'],
  ])('%s', (_name, run, expected) => {
    expect(run()).toEqual(expected);
  });

  it.each<[name: string, run: () => unknown, option: string]>([
    ['fail/serial-missing', () => check.serial('--serial', undefined), '--serial is required'],
    ['fail/serial-empty', () => check.serial('--serial', ''), '--serial must not be empty'],
    ['fail/serial-blank', () => check.serial('--serial', '   '), '--serial must not be empty'],
    ['fail/serial-control-char', () => check.serial('--serial', 'SN\x1b[2J'), '--serial must not contain control characters'],
    ['fail/iccid-17-digits', () => check.iccid('--iccid', '89441000000000001'), '--iccid must be 18 to 22 digits'],
    ['fail/iccid-23-digits', () => check.iccid('--iccid', '89441000000000000000001'), '--iccid must be 18 to 22 digits'],
    ['fail/iccid-letters', () => check.iccid('--iccid', '8944100000000000ABC'), '--iccid must be 18 to 22 digits'],
    ['fail/imsi-5-digits', () => check.imsi('--imsi', '23410'), '--imsi must be 6 to 15 digits'],
    ['fail/imsi-16-digits', () => check.imsi('--imsi', '2341000000000011'), '--imsi must be 6 to 15 digits'],
    ['fail/imei-14-digits', () => check.imei('--imei', '49015420323751'), '--imei must be 15 digits'],
    ['fail/imei-dashes', () => check.imei('--imei', '49-015420-323751'), '--imei must be 15 digits'],
    ['fail/ttl-zero', () => check.seconds('--ttl', '0'), '--ttl must be a whole number of seconds'],
    ['fail/ttl-fraction', () => check.seconds('--ttl', '1.5'), '--ttl must be a whole number of seconds'],
    ['fail/ttl-negative', () => check.seconds('--ttl', '-5'), '--ttl must be a whole number of seconds'],
    ['fail/port-too-big', () => check.port('--http-port', '65536'), '--http-port must be a port number'],
    ['fail/name-with-dot', () => check.name('--name', 'gw.site'), '--name must be 1-64 letters'],
    ['fail/nats-url-http', () => check.url('--nats', 'http://127.0.0.1:4222', ['nats:', 'tls:']), '--nats must be a nats: or tls: URL'],
    ['fail/nats-url-garbage', () => check.url('--nats', 'not a url', ['nats:']), '--nats is not a URL'],
  ])('%s', (_name, run, message) => {
    let thrown: unknown;
    try {
      run();
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect(thrown).toMatchObject({ exitCode: ExitCode.Usage, usage });
    expect((thrown as Error).message).toContain(message);
  });

  it('does not echo control characters or a password from bad input', () => {
    expect(() => check.iccid('--iccid', '\x1b[31mred')).toThrow('"?[31mred"');
    expect(() => check.url('--nats', 'nats://u:hunter2@', ['tls:'])).not.toThrow(/hunter2/);
  });
});

describe('parseCommandArgs', () => {
  const options = { serial: { type: 'string' }, json: { type: 'boolean' } } as const;

  it.each<[name: string, argv: string[], values: Record<string, unknown>, rest: string[]]>([
    ['ok/separate-value', ['--serial', 'SN-1'], { serial: 'SN-1' }, []],
    ['ok/equals-value', ['--serial=SN-1', '--json'], { serial: 'SN-1', json: true }, []],
    ['ok/positional', ['SN-1', '--json'], { json: true }, ['SN-1']],
    ['ok/positional-after-terminator', ['--', '--looks-like-an-option'], {}, ['--looks-like-an-option']],
  ])('%s', (_name, argv, values, rest) => {
    const parsed = parseCommandArgs(argv, options, usage);
    expect({ ...parsed.values }).toEqual(values);
    expect(parsed.positionals).toEqual(rest);
  });

  it.each<[name: string, argv: string[], message: string]>([
    ['fail/unknown-option', ['--serail', 'SN-1'], 'unknown option --serail'],
    ['fail/missing-value', ['--serial'], '--serial needs a value'],
    ['fail/option-as-value', ['--serial', '--json'], '--serial needs a value'],
    ['fail/given-twice', ['--serial', 'A', '--serial', 'B'], '--serial given more than once'],
    ['fail/value-for-flag', ['--json=yes'], '--json'],
  ])('%s', (_name, argv, message) => {
    expect(() => parseCommandArgs(argv, options, usage)).toThrow(message);
    expect(() => parseCommandArgs(argv, options, usage)).toThrow(UsageError);
  });
});

describe('positionals', () => {
  it.each<[name: string, given: string[], expected: string[] | string]>([
    ['ok/exact', ['SN-1'], ['SN-1']],
    ['fail/missing', [], 'missing <serial>'],
    ['fail/extra', ['SN-1', 'SN-2'], 'unexpected argument "SN-2"'],
  ])('%s', (_name, given, expected) => {
    if (typeof expected === 'string') expect(() => positionals(given, ['<serial>'], usage)).toThrow(expected);
    else expect(positionals(given, ['<serial>'], usage)).toEqual(expected);
  });
});
