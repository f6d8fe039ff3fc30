import { acceptCorrelationId, currentCorrelationId, withCorrelationId } from './correlation';

describe('correlation id', () => {
  it.each([
    ['ok/uuid', '0b7d4f0e-3c5e-4a8e-9a57-0f6d2b1c9e11', true],
    ['ok/short token', 'req-42', true],
    ['fail/newline (log injection)', 'abc\n{"level":"error"}', false],
    ['fail/too long', 'x'.repeat(129), false],
    ['fail/empty', '', false],
  ])('%s', (_name, offered, kept) => {
    const id = acceptCorrelationId(offered);
    expect(id === offered).toBe(kept);
    expect(id).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
  });

  it('follows awaits inside the scope and is absent outside', async () => {
    expect(currentCorrelationId()).toBeUndefined();
    const seen = await withCorrelationId('c-1', async () => {
      await new Promise((r) => setTimeout(r, 1));
      return currentCorrelationId();
    });
    expect(seen).toBe('c-1');
    expect(currentCorrelationId()).toBeUndefined();
  });
});
