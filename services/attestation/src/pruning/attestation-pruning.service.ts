import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock, CLOCK } from '@iis/config';
import { ATTESTATION_SETTINGS, AttestationSettings } from '../attestation-settings';
import { AttestationPruner } from './attestation-pruner';

/** Runs the pruning every ATTESTATION_PRUNE_INTERVAL_SECONDS in every instance (the deletes are idempotent). */
@Injectable()
export class AttestationPruningService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('attestation.pruning');
  private readonly pruner: AttestationPruner;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    @InjectDataSource() ds: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ATTESTATION_SETTINGS) private readonly settings: AttestationSettings,
  ) {
    this.pruner = new AttestationPruner(ds, settings.resultRetentionSeconds);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.run(), this.settings.pruneIntervalSeconds * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass at a time; a failure (database away) is logged and the next tick tries again. */
  private run(): Promise<void> {
    this.running ??= this.pruner
      .prune(this.clock.now())
      .then((n) => {
        if (n.challenges || n.results) this.logger.log(`pruned ${n.challenges} expired challenge(s) and ${n.results} expired result(s)`);
      })
      .catch((e: Error) => this.logger.warn(`pruning failed: ${e.message}; next try in ${this.settings.pruneIntervalSeconds} s`))
      .finally(() => (this.running = undefined));
    return this.running;
  }
}
