import { Writable } from 'node:stream';
import { withCorrelationId } from '@iis/messaging';
import { createJsonLog, JsonLogger } from './json-logger';

function capture(level: 'debug' | 'info' = 'debug') {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  return { logger: new JsonLogger(createJsonLog('ca', level, sink)), lines };
}

describe('JSON logger', () => {
  it('writes Nest context, service and the current correlation id', async () => {
    const { logger, lines } = capture();
    withCorrelationId('corr-7', () => logger.log('issued', 'ca.issuance'));
    logger.warn('no request here', 'ca.crl');
    await new Promise((r) => setImmediate(r));
    expect(lines[0]).toMatchObject({ level: 'info', service: 'ca', context: 'ca.issuance', correlationId: 'corr-7', msg: 'issued' });
    expect(lines[1]).toMatchObject({ level: 'warn', context: 'ca.crl', msg: 'no request here' });
    expect(lines[1]).not.toHaveProperty('correlationId');
  });

  it('keeps an error stack and drops lines below the level', async () => {
    const { logger, lines } = capture('info');
    logger.error('boom', 'Error: boom\n    at x', 'http');
    logger.debug('hidden', 'http');
    await new Promise((r) => setImmediate(r));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'error', context: 'http', stack: 'Error: boom\n    at x', msg: 'boom' });
  });
});
