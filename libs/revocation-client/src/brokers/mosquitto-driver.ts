import * as fs from 'node:fs';
import { PidFileReloader } from './pid-file-reloader';
import type { RevocationEvent } from '@iis/contracts';

/** How the agent drives a Mosquitto broker next to it. */
export interface MosquittoOptions {
  /** Mosquitto's `pid_file`: SIGHUP makes Mosquitto reread its `crlfile` (the agent's crl.pem). */
  pidFile: string;
  /**
   * The dynamic security plugin's admin endpoint (a loopback listener), used to cut live
   * sessions: `disableClient` disconnects every session of that user name at once. With
   * `use_identity_as_username true`, the user name is the certificate's CN.
   */
  admin?: { url: string; username: string; password: string };
}

/** The part of an MQTT client the driver uses (mqtt.js' MqttClient fits). */
export interface AdminConnection {
  publishAsync(topic: string, message: string, opts: { qos: 1 }): Promise<unknown>;
  endAsync(): Promise<void>;
}

export interface MosquittoDriverDeps {
  signal: (pid: number, signal: NodeJS.Signals) => void;
  readPidFile: (file: string) => string;
  connectAdmin: (admin: NonNullable<MosquittoOptions['admin']>) => Promise<AdminConnection>;
}

const DYNSEC_TOPIC = '$CONTROL/dynamic-security/v1';

interface PendingCut {
  commonName: string;
  issuerId: string;
  sequence: number;
}

/**
 * Order matters: a session is cut only once Mosquitto has reloaded a CRL that already
 * contains the certificate, so the device's immediate reconnect is refused at the TLS
 * handshake instead of slipping back in.
 */
export class MosquittoDriver {
  private readonly pending: PendingCut[] = [];
  private admin: Promise<AdminConnection> | undefined;

  private readonly reloader: PidFileReloader;

  constructor(
    private readonly opts: MosquittoOptions,
    private readonly log: (line: string) => void,
    private readonly deps: MosquittoDriverDeps = defaultDeps(),
  ) {
    this.reloader = new PidFileReloader('mosquitto', opts.pidFile, log, 'SIGHUP', { kill: deps.signal, read: deps.readPidFile });
  }

  /** A revocation was applied at stream sequence `sequence`. */
  revoked(event: RevocationEvent, sequence: number): void {
    if (!event.subjectCommonName) {
      this.log(`agent: mosquitto: revocation serial=${event.serial} names no subject CN; its live session cannot be found by user name`);
      return;
    }
    this.pending.push({ commonName: event.subjectCommonName, issuerId: event.issuerId, sequence });
  }

  /**
   * A certificateHold was released (removeFromCRL): the device may connect again, so its
   * dynsec client is enabled; the CRL written next no longer lists the serial.
   */
  released(event: RevocationEvent): void {
    if (!event.subjectCommonName) return;
    void this.dynsec([{ command: 'enableClient', username: event.subjectCommonName }], `enabled cn=${event.subjectCommonName}`);
  }

  /** A CRL file was rewritten: reload it in Mosquitto, then cut the sessions it now refuses. */
  async crlWritten(issuerId: string, coversSequence: number): Promise<void> {
    this.reload();
    const due = this.pending.filter((p) => p.issuerId === issuerId && p.sequence <= coversSequence);
    if (due.length === 0) return;
    for (const p of due) this.pending.splice(this.pending.indexOf(p), 1);
    await this.cut([...new Set(due.map((p) => p.commonName))]);
  }

  async stop(): Promise<void> {
    const admin = await this.admin?.catch(() => undefined);
    await admin?.endAsync().catch(() => undefined);
  }

  /** SIGHUP: Mosquitto rereads its configuration, CRL and listener certificates. */
  reload(): void {
    this.reloader.reload();
  }

  private async cut(commonNames: string[]): Promise<void> {
    // createClient fails harmlessly for a user that exists; disableClient then kicks its sessions.
    const commands = commonNames.flatMap((username) => [
      { command: 'createClient', username },
      { command: 'disableClient', username },
    ]);
    await this.dynsec(commands, commonNames.map((cn) => `cut live sessions cn=${cn}`).join('; '));
  }

  private async dynsec(commands: { command: string; username: string }[], done: string): Promise<void> {
    if (!this.opts.admin) return;
    try {
      this.admin ??= this.deps.connectAdmin(this.opts.admin);
      const admin = await this.admin;
      await admin.publishAsync(DYNSEC_TOPIC, JSON.stringify({ commands }), { qos: 1 });
      for (const line of done.split('; ')) this.log(`agent: mosquitto ${line}`);
    } catch (e) {
      this.admin = undefined;
      this.log(`agent: mosquitto: ${commands.map((c) => `${c.command} ${c.username}`).join(', ')} failed: ${(e as Error).message}`);
    }
  }
}

function defaultDeps(): MosquittoDriverDeps {
  return {
    signal: (pid, sig) => process.kill(pid, sig),
    readPidFile: (file) => fs.readFileSync(file, 'utf8'),
    connectAdmin: async (admin) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mqtt = require('mqtt') as typeof import('mqtt');
      return mqtt.connectAsync(admin.url, { username: admin.username, password: admin.password, reconnectPeriod: 1000, connectTimeout: 5000 });
    },
  };
}
