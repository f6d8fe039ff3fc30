import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import { CaConfig } from '@iis/config';
import { CaSubjects } from '@iis/contracts';
import { connectNats } from '@iis/messaging';
import { CA_CONFIG } from '../ca.tokens';
import { HierarchyService } from './hierarchy.service';

/**
 * Keeps every CA instance's view of the hierarchy the same: after a rotation or an operator
 * change (ca-admin), a plain NATS message (no queue group) makes each instance reload.
 */
@Injectable()
export class HierarchySyncService implements OnApplicationShutdown {
  private readonly logger = new Logger('ca.hierarchy');
  private nc: NatsConnection | undefined;

  constructor(
    @Inject(CA_CONFIG) private readonly config: CaConfig,
    private readonly hierarchy: HierarchyService,
  ) {}

  async start(): Promise<void> {
    this.nc = await connectNats(this.config.natsUrl, 'iis-ca-hierarchy');
    this.nc.subscribe(CaSubjects.changed, {
      callback: () => {
        this.hierarchy.load().then(
          () => this.logger.log('hierarchy reloaded'),
          (e: Error) => this.logger.error(`hierarchy not reloaded: ${e.message}`),
        );
      },
    });
  }

  announce(): void {
    this.nc?.publish(CaSubjects.changed, '{}');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.nc?.drain().catch(() => undefined);
  }
}
