import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { suiteNatsUrl } from './suite-files';

describe('the NATS an agent follows by default', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idctl-nats-url-'));

  it('ok/reads the URL npm start wrote', () => {
    fs.writeFileSync(path.join(dir, 'nats-url'), 'nats://127.0.0.1:40123\n');
    expect(suiteNatsUrl(dir)).toBe('nats://127.0.0.1:40123');
  });

  it('fail/no file means no suggestion', () => {
    expect(suiteNatsUrl(path.join(dir, 'absent'))).toBeUndefined();
  });

  it('fail/an empty file means no suggestion', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'idctl-nats-url-'));
    fs.writeFileSync(path.join(empty, 'nats-url'), '\n');
    expect(suiteNatsUrl(empty)).toBeUndefined();
  });
});
