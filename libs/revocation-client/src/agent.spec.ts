import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentErrorCode } from './agent.errors';
import { runAgent } from './agent';

// Start-up refusals; nothing here needs a NATS server (agent.nats.spec.ts runs a real one).
let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'iis-agent-start-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('runAgent start-up', () => {
  it('fail/a corrupt state file stops the start and names the file', async () => {
    const file = join(dir, 'state.json');
    writeFileSync(file, '{"version":1,');
    await expect(runAgent({ natsUrl: 'nats://127.0.0.1:1', dir, name: 'spec', log: () => undefined })).rejects.toMatchObject({
      code: AgentErrorCode.StateCorrupt,
      message: expect.stringContaining(file),
    });
  });

  it('fail/no NATS server at the first connection', async () => {
    await expect(runAgent({ natsUrl: 'nats://127.0.0.1:1', dir, name: 'spec', log: () => undefined })).rejects.toMatchObject({
      code: AgentErrorCode.NatsConnect,
    });
  });
});
