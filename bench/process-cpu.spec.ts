import { spawn } from 'node:child_process';
import { cpuPer, processCpuMicros, SuiteCpu } from './process-cpu';

describe('cpuPer', () => {
  it('medians of the measured runs by role, largest first, small ones left out, and the total', () => {
    const runs = [
      { onboarding: 9000, ca: 9000, clients: 9000, launcher: 0 }, // the harness's warm-up: left out
      { onboarding: 800, ca: 400, clients: 150, launcher: 5 },
      { onboarding: 700, ca: 450, clients: 170, launcher: 0 },
      { onboarding: 750, ca: 430, clients: 160, launcher: 0 },
    ];
    expect(cpuPer('enrollment', runs)).toBe('CPU per enrollment: onboarding 0.75 ms, ca 0.43 ms, clients 0.16 ms; all 1.34 ms');
  });

  it('says so when nothing was measured', () => {
    expect(cpuPer('enrollment', [{ a: 1 }])).toBe('CPU not measured');
  });
});

describe('SuiteCpu', () => {
  it('counts the CPU a child process spends, by role, and this process as the clients', async () => {
    // A child that spends 300 ms of CPU (its own clock, however busy the machine), says so, and waits.
    const child = spawn(process.execPath, ['-e', "while (process.cpuUsage().user < 300_000); process.stdout.write('done'); setTimeout(() => {}, 10_000)"]);
    const meter = new SuiteCpu(process.pid);
    const stop = meter.start();
    await new Promise((r) => child.stdout!.once('data', r));
    const spent = stop();
    child.kill();
    // The child is neither a service nor nats-server: 'other'. Its boot came before the meter at most partly.
    expect(spent.other).toBeGreaterThanOrEqual(250_000);
    expect(spent.clients).toBeGreaterThan(0);
    expect(processCpuMicros(999_999_999)).toBeUndefined();
  });
});
