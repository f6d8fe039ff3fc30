import { Entity } from 'typeorm';
import { OutboxRow } from '@iis/persistence';

/**
 * Attestation facts waiting for the facts stream: written in the transaction that stores the
 * result they announce (or on their own for a SIM sighting), deleted once JetStream took them.
 */
@Entity({ name: 'attestation_fact_outbox' })
export class FactOutboxEntity extends OutboxRow {}
