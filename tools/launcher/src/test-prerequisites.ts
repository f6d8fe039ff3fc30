import { requireCommand } from './system-packages';

/**
 * `npm test` runs this first: the end-to-end tests drive real nats-server, openssl, curl, Mosquitto,
 * nginx, SoftHSM2, swtpm with tpm2-tools, and Chromium.
 * As root a missing one is installed with apt-get (and said so); otherwise the exact
 * command to run is printed and the tests do not start.
 */
const log = (s: string) => process.stdout.write(`[test-prerequisites] ${s}\n`);
try {
  requireCommand('nats-server', 'nats-server', log);
  requireCommand('openssl', 'openssl', log);
  requireCommand('curl', 'curl', log);
  // The mosquitto package also brings mosquitto_ctrl.
  requireCommand('mosquitto', 'mosquitto', log);
  requireCommand('mosquitto_pub', 'mosquitto-clients', log);
  // The CA's PKCS#11 path is tested against SoftHSM2.
  requireCommand('softhsm2-util', 'softhsm2', log);
  // nginx terminating mTLS, reloaded by the gateway agent.
  requireCommand('nginx', 'nginx', log);
  // The web console is tested in headless Chromium (playwright-core drives it; it downloads no browser).
  requireCommand('chromium', 'chromium', log);
  requireCommand('chromedriver', 'chromium-driver', log);
  // Attestation is tested against a software TPM 2.0 driven by tpm2-tools.
  requireCommand('swtpm', 'swtpm', log);
  requireCommand('swtpm_setup', 'swtpm-tools', log);
  requireCommand('tpm2_quote', 'tpm2-tools', log);
} catch (e) {
  process.stderr.write(`[test-prerequisites] ${(e as Error).message}\n`);
  process.exit(1);
}
