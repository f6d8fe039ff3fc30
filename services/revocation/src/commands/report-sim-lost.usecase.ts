import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { Clock, CLOCK } from '@iis/config';
import {
  DeviceView,
  DomainError,
  GetDeviceRequest,
  ErrorCode,
  FindCertificatesReply,
  FindCertificatesRequest,
  MarkSimLostReply,
  MarkSimLostRequest,
  ReportSimLostReply,
  ReportSimLostRequest,
  RevocationEvent,
  Streams,
  Subjects,
} from '@iis/contracts';
import { RpcClient } from '@iis/messaging';
import { RevocationEntity } from '../log/revocation.entity';
import { OutboxMessageEntity } from '../outbox/outbox-message.entity';
import { OutboxRelayService } from '../outbox/outbox-relay.service';
import { RPC } from '@iis/runtime';

/**
 * A lost or stolen SIM: mark it lost first (from that moment policy refuses enrollment
 * through it), then revoke every unexpired certificate bound to it. Each revocation and its
 * event are committed together; the relay publishes them. Repeating the command changes
 * nothing that is already done and says so.
 */
@Injectable()
export class ReportSimLostUseCase {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(RPC) private readonly rpc: RpcClient,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly relay: OutboxRelayService,
  ) {}

  async execute(cmd: ReportSimLostRequest): Promise<ReportSimLostReply> {
    if (!cmd || typeof cmd.iccid !== 'string' || !/^\d{18,22}$/.test(cmd.iccid)) {
      throw new DomainError(ErrorCode.BadRequest, 'iccid must be 18 to 22 digits');
    }
    const reason = typeof cmd.reason === 'string' && cmd.reason.trim() ? cmd.reason.trim().slice(0, 400) : 'reported lost';
    const actor = typeof cmd.actor === 'string' && cmd.actor ? cmd.actor.slice(0, 200) : 'unknown';

    const marked = await this.rpc.request<MarkSimLostRequest, MarkSimLostReply>(Subjects.onboarding.markSimLost, { iccid: cmd.iccid, reason, actor });
    const now = this.clock.now();
    const { certificates } = await this.rpc.request<FindCertificatesRequest, FindCertificatesReply>(Subjects.ca.findCertificates, {
      iccid: cmd.iccid,
      unexpiredAt: now.toISOString(),
      unrevoked: true,
    });

    const commonNames = await this.deviceSerials(certificates.map((c) => c.deviceId));

    const revoked = await this.ds.transaction(async (em) => {
      const already = new Set(
        (await em.find(RevocationEntity, { where: { serial: In(certificates.map((c) => c.serial)) }, select: { serial: true } })).map((r) => r.serial),
      );
      const out: ReportSimLostReply['revoked'] = [];
      for (const cert of certificates.filter((c) => !already.has(c.serial))) {
        const row = await em.save(
          em.create(RevocationEntity, {
            serial: cert.serial,
            issuerId: cert.issuerId,
            // RFC 5280 5.3.1: a SIM in the wrong hands means the device key may be too.
            reason: 'keyCompromise',
            revokedAt: now,
            notAfter: new Date(cert.notAfter),
            deviceId: cert.deviceId,
            iccid: cmd.iccid,
            cause: `sim-lost: ${reason}`,
            actor,
          }),
        );
        const event: RevocationEvent = {
          version: 1,
          logSequence: row.sequence,
          serial: row.serial,
          issuerId: row.issuerId,
          reason: 'keyCompromise',
          revokedAt: now.toISOString(),
          notAfter: row.notAfter.toISOString(),
          deviceId: row.deviceId,
          iccid: row.iccid,
          cause: row.cause,
          // Device certificates are issued with CN = the device serial (registry identity).
          subjectCommonName: row.deviceId ? (commonNames.get(row.deviceId) ?? null) : null,
        };
        await em.insert(OutboxMessageEntity, {
          subject: Streams.revocations.eventSubject(row.issuerId),
          msgId: `revocation-${row.serial}`,
          payload: JSON.stringify(event),
          publishedAt: null,
        });
        out.push({ serial: row.serial, issuerId: row.issuerId, sequence: row.sequence });
      }
      return out;
    });
    if (revoked.length > 0) await this.relay.kick();
    return {
      iccid: cmd.iccid,
      deviceId: marked.sim.deviceId,
      simStatus: marked.sim.status,
      alreadyLost: !marked.changed,
      revoked,
    };
  }

  /** Device id → serial, from the registry, for the devices whose certificates are revoked. */
  private async deviceSerials(deviceIds: (string | null)[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const id of new Set(deviceIds.filter((d): d is string => !!d))) {
      const device = await this.rpc.request<GetDeviceRequest, DeviceView>(Subjects.onboarding.getDevice, { id });
      out.set(id, device.serial);
    }
    return out;
  }
}
