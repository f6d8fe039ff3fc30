import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as net from 'node:net';
import { freePort, portFree } from '../../tools/launcher/src/ports';
import { run } from './run';

/**
 * Waits until swtpm listens. The probe is destroyed at once: swtpm serves one connection at a
 * time, and a half-closed probe would hold it while the tests block in spawnSync.
 */
async function listening(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const open = await new Promise<boolean>((resolve) => {
      const s = net.connect({ port, host: '127.0.0.1' }, () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`swtpm did not listen on ${port}`);
}

/** swtpm_setup with swtpm_localca configured inside `dir` (nothing written to /var/lib). */
function manufacture(dir: string): void {
  const ca = path.join(dir, 'vendor-ca');
  fs.mkdirSync(ca);
  const localca = path.join(dir, 'swtpm-localca.conf');
  fs.writeFileSync(localca, `statedir = ${ca}\nsigningkey = ${ca}/signkey.pem\nissuercert = ${ca}/issuercert.pem\ncertserial = ${ca}/certserial\n`);
  const setup = path.join(dir, 'swtpm_setup.conf');
  fs.writeFileSync(setup, `create_certs_tool = /usr/bin/swtpm_localca\ncreate_certs_tool_config = ${localca}\ncreate_certs_tool_options = /etc/swtpm-localca.options\nactive_pcr_banks = sha256\n`);
  const r = run('swtpm_setup', ['--tpm2', '--tpmstate', dir, '--create-ek-cert', '--config', setup, '--overwrite']);
  if (r.code !== 0) throw new Error(`swtpm_setup failed (${r.code}): ${r.stderr}${r.stdout}`);
}

/**
 * A real software TPM 2.0 (swtpm) in a temporary state folder, driven by tpm2-tools over the
 * swtpm TCTI. There is no resource manager in between, so `tpm` flushes transient objects and
 * sessions after every command (a bare TPM holds only three).
 */
export class SoftwareTpm {
  private constructor(
    readonly dir: string,
    private readonly child: ChildProcess,
    readonly tcti: string,
  ) {}

  /**
   * `manufacture`: swtpm_setup makes the TPM as a vendor would, with an EK certificate in NV
   * (RSA at 0x01c00002) signed by swtpm's local CA, kept in `<dir>/vendor-ca/`.
   */
  static async start(opts: { manufacture?: boolean } = {}): Promise<SoftwareTpm> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iis-swtpm-'));
    if (opts.manufacture) manufacture(dir);
    // The swtpm TCTI finds the control channel on port + 1.
    let port = await freePort();
    while (!(await portFree(port + 1, '127.0.0.1'))) port = await freePort();
    const child = spawn(
      'swtpm',
      ['socket', '--tpm2', '--tpmstate', `dir=${dir}`, '--server', `type=tcp,port=${port},bindaddr=127.0.0.1`, '--ctrl', `type=tcp,port=${port + 1},bindaddr=127.0.0.1`, '--flags', 'not-need-init,startup-clear'],
      { stdio: 'ignore' },
    );
    await listening(port + 1);
    return new SoftwareTpm(dir, child, `swtpm:host=127.0.0.1,port=${port}`);
  }

  /** Runs one tpm2-tools command in the state folder; throws with its stderr when it fails. */
  tpm(tool: string, args: string[]): string {
    const env = { ...process.env, TPM2TOOLS_TCTI: this.tcti };
    const r = run(tool, args, { env, cwd: this.dir });
    run('tpm2_flushcontext', ['-t'], { env, cwd: this.dir });
    run('tpm2_flushcontext', ['-s'], { env, cwd: this.dir });
    if (r.code !== 0) throw new Error(`${tool} ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
    return r.stdout;
  }

  file(name: string): string {
    return path.join(this.dir, name);
  }

  read(name: string): Buffer {
    return fs.readFileSync(this.file(name));
  }

  write(name: string, data: Buffer | string): string {
    fs.writeFileSync(this.file(name), data);
    return this.file(name);
  }

  stop(): void {
    this.child.kill('SIGTERM');
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The device side of attestation, exactly as the README shows it: EK, AK, quote. */
export class TpmDevice {
  constructor(readonly tpm: SoftwareTpm) {}

  /**
   * tpm2_createek + tpm2_createak: an EK (RSA 2048 or ECC P-256, the TCG default templates L-1
   * and L-2) and a restricted signing AK under it.
   */
  createKeys(akAlg: 'ecc' | 'rsa' = 'ecc', ekAlg: 'rsa' | 'ecc' = 'rsa'): { ekPub: Buffer; akPub: Buffer } {
    this.tpm.tpm('tpm2_createek', ['-c', 'ek.ctx', '-G', ekAlg, '-u', 'ek.pub']);
    this.tpm.tpm('tpm2_createak', ['-C', 'ek.ctx', '-c', 'ak.ctx', '-G', akAlg, '-g', 'sha256', '-s', akAlg === 'ecc' ? 'ecdsa' : 'rsassa', '-u', 'ak.pub', '-n', 'ak.name']);
    return { ekPub: this.tpm.read('ek.pub'), akPub: this.tpm.read('ak.pub') };
  }

  /** The EK certificate the vendor stored in NV (TCG EK Credential Profile: RSA 2048 at 0x01c00002). */
  ekCertificate(): Buffer {
    this.tpm.tpm('tpm2_nvread', ['0x01c00002', '-o', 'ek-cert.der']);
    return this.tpm.read('ek-cert.der');
  }

  /** tpm2_activatecredential with the EK's policy session (PolicySecret of the endorsement hierarchy). */
  activateCredential(credentialFile: Buffer): Buffer {
    this.tpm.write('cred.in', credentialFile);
    const env = { ...process.env, TPM2TOOLS_TCTI: this.tpm.tcti };
    const steps: [string, string[]][] = [
      ['tpm2_startauthsession', ['--policy-session', '-S', 'session.ctx']],
      ['tpm2_policysecret', ['-S', 'session.ctx', '-c', 'e']],
      ['tpm2_activatecredential', ['-c', 'ak.ctx', '-C', 'ek.ctx', '-i', 'cred.in', '-o', 'cred.out', '-P', 'session:session.ctx']],
      ['tpm2_flushcontext', ['session.ctx']],
    ];
    for (const [tool, args] of steps) {
      const r = run(tool, args, { env, cwd: this.tpm.dir });
      if (r.code !== 0) throw new Error(`${tool} failed (${r.code}): ${r.stderr}`);
    }
    this.tpm.tpm('tpm2_flushcontext', ['-t']);
    return this.tpm.read('cred.out');
  }

  /** tpm2_pcrextend of PCR 16 with a measurement (stands for what firmware would measure). */
  measure(text: string): void {
    const { createHash } = require('node:crypto') as typeof import('node:crypto');
    this.tpm.tpm('tpm2_pcrextend', [`16:sha256=${createHash('sha256').update(text).digest('hex')}`]);
  }

  /** tpm2_quote over sha256 PCRs 0,1,16 with the nonce, plus the PCR values (tpm2_pcrread -o). */
  quote(nonce: Buffer): { attest: Buffer; signature: Buffer; pcrs: Record<string, Record<string, string>> } {
    this.tpm.tpm('tpm2_quote', ['-c', 'ak.ctx', '-l', 'sha256:0,1,16', '-q', nonce.toString('hex'), '-g', 'sha256', '-m', 'quote.msg', '-s', 'quote.sig']);
    this.tpm.tpm('tpm2_pcrread', ['sha256:0,1,16', '-o', 'pcrs.bin']);
    const raw = this.tpm.read('pcrs.bin');
    const pcrs = { sha256: Object.fromEntries([0, 1, 16].map((p, i) => [String(p), raw.subarray(i * 32, (i + 1) * 32).toString('hex')])) };
    return { attest: this.tpm.read('quote.msg'), signature: this.tpm.read('quote.sig'), pcrs };
  }
}
