import { Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { AttestationResultView, ChallengeReply, ChallengeRequest, DomainError, ErrorCode, Subjects, VerifyEvidenceRequest } from '@iis/contracts';
import { RpcClient } from '@iis/messaging';
import { RPC } from '@iis/runtime';
import { EST_SETTINGS, EstSettings } from '../est/est-settings';
import { RateLimiter } from '../est/rate-limiter';
import { readBody } from '../est/read-body';
import { RegistryService } from '../registry/registry.service';

const MAX_JSON_BYTES = 64 * 1024;

async function readJson<T>(req: Request): Promise<T & { serial?: unknown }> {
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) throw new DomainError(ErrorCode.UnsupportedMediaType, 'send application/json');
  try {
    const v = JSON.parse((await readBody(req, MAX_JSON_BYTES)).toString('utf8')) as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
    return v as T & { serial?: unknown };
  } catch (e) {
    if (e instanceof DomainError) throw e;
    throw new DomainError(ErrorCode.BadRequest, 'the body must be a JSON object');
  }
}

/**
 * Attestation on the device-facing EST listener, callable before enrollment: the device names
 * itself by serial; onboarding resolves it in the registry and forwards to the attestation
 * service over NATS, which owns challenges and verification.
 */
@Controller('.well-known/attestation/v1')
export class AttestationGatewayController {
  /** Unauthenticated calls that write rows: bounded per source address like EST itself. */
  private readonly perAddress: RateLimiter;

  constructor(
    @Inject(RPC) private readonly rpc: RpcClient,
    @Inject(EST_SETTINGS) settings: EstSettings,
    private readonly registry: RegistryService,
  ) {
    this.perAddress = new RateLimiter(settings.ratePerAddressPerMinute);
  }

  /** { serial, ttlSeconds?, tpm?: { ekPublic, akPublic, ekCertificate } } → nonce (and credential). */
  @Post('challenges')
  @HttpCode(201)
  async challenge(@Req() req: Request): Promise<ChallengeReply> {
    this.limit(req);
    const body = await readJson<Omit<ChallengeRequest, 'deviceId'>>(req);
    const deviceId = await this.deviceId(body.serial);
    return this.rpc.request<ChallengeRequest, ChallengeReply>(Subjects.attestation.challenge, { deviceId, ttlSeconds: body.ttlSeconds, tpm: body.tpm });
  }

  /** { serial, nonce, type, tpm | idevid | sim } → the signed attestation result. */
  @Post('evidence')
  @HttpCode(201)
  async evidence(@Req() req: Request): Promise<AttestationResultView> {
    this.limit(req);
    const body = await readJson<Omit<VerifyEvidenceRequest, 'deviceId'>>(req);
    const deviceId = await this.deviceId(body.serial);
    return this.rpc.request<VerifyEvidenceRequest, AttestationResultView>(Subjects.attestation.verifyEvidence, { deviceId, nonce: body.nonce, type: body.type, tpm: body.tpm, idevid: body.idevid, sim: body.sim }, 15_000);
  }

  private limit(req: Request): void {
    const wait = this.perAddress.take(req.socket.remoteAddress ?? '');
    if (wait > 0) throw new DomainError(ErrorCode.TooManyRequests, `too many attestation requests from this address; retry after ${wait} s`, wait);
  }

  private async deviceId(serial: unknown): Promise<string> {
    if (typeof serial !== 'string' || serial.length === 0 || serial.length > 64) throw new DomainError(ErrorCode.BadRequest, 'serial is required');
    const found = await this.registry.findDevice({ serial });
    if (!found) throw new DomainError(ErrorCode.Forbidden, 'unknown device');
    return found.device.id;
  }
}
