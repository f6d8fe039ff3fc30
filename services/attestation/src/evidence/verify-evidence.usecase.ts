import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock, CLOCK } from '@iis/config';
import { AttestationError } from '@iis/attestation';
import { AttestationResultView, DeviceDetailView, DeviceView, DomainError, ErrorCode, GetDeviceRequest, OnboardingSubjects, Subjects, VerifyEvidenceRequest } from '@iis/contracts';
import { RpcClient } from '@iis/messaging';
import { RPC } from '@iis/runtime';
import { ChallengesService } from '../challenges/challenges.service';
import { AttestationFactsPublisher } from '../facts/attestation-facts.publisher';
import { AttestationResultsService } from '../results/attestation-results.service';
import { EvidenceVerifiers } from '../verifiers/evidence-verifiers';
import { refusal } from '../verifiers/refusal';
import { isUuid } from '../uuid';

export const EVIDENCE_VERIFIERS = Symbol('EvidenceVerifiers');

/**
 * Evidence in, a signed result out: the device from the registry, the challenge spent (once,
 * by its device, unexpired), the verifier of the evidence type, then a stored result. Every
 * outcome is a fact for the policy engine; what the verifier refuses is stored as a failed
 * result (reason code, no claims beyond the challenge) for the operator, never redeemable.
 */
@Injectable()
export class VerifyEvidenceUseCase {
  private readonly logger = new Logger('attestation.evidence');

  constructor(
    @Inject(RPC) private readonly rpc: RpcClient,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(EVIDENCE_VERIFIERS) private readonly verifiers: EvidenceVerifiers,
    private readonly challenges: ChallengesService,
    private readonly results: AttestationResultsService,
    private readonly facts: AttestationFactsPublisher,
  ) {}

  async execute(req: VerifyEvidenceRequest): Promise<AttestationResultView> {
    if (!req || !isUuid(req.deviceId) || typeof req.nonce !== 'string' || typeof req.type !== 'string') {
      throw new DomainError(ErrorCode.BadRequest, 'deviceId (a UUID), nonce (base64) and type are required');
    }
    let verifier;
    try {
      verifier = this.verifiers.for(req.type);
    } catch (e) {
      throw e instanceof AttestationError ? refusal(e) : e;
    }
    const device = await this.device(req.deviceId);
    const challenge = await this.challenges.spend({ deviceId: req.deviceId, nonce: req.nonce });
    const now = this.clock.now();
    try {
      const claims = await verifier.verify(req, { device, nonce: Buffer.from(req.nonce, 'base64'), challenge, now });
      const fact = { deviceId: req.deviceId, type: verifier.type, observedAt: now };
      return await this.results.record(req.deviceId, verifier.type, { ...claims, 'challenge.id': challenge.id }, (em, resultId) => this.facts.stageResult(em, { ...fact, verdict: 'pass', resultId }));
    } catch (e) {
      if (!(e instanceof AttestationError)) throw e;
      const fact = { deviceId: req.deviceId, type: verifier.type, verdict: 'fail' as const, reason: e.reason, observedAt: now };
      await this.results.recordRefusal(req.deviceId, verifier.type, { 'challenge.id': challenge.id }, { code: e.reason, message: e.message }, (em, resultId) => this.facts.stageResult(em, { ...fact, resultId })).catch(async (err: unknown) => {
        // The device's answer is the refusal either way; the lost record is logged, the fact still staged.
        this.logger.error(`refused ${verifier.type} evidence of device ${req.deviceId} not stored: ${(err as Error).message}`);
        await this.facts.stageResult(null, fact).catch((x: Error) => this.logger.error(`refusal fact for device ${req.deviceId} not staged: ${x.message}`));
      });
      throw refusal(e);
    } finally {
      // What this verification staged (its result's fact, a SIM sighting) goes out now, whichever way it ended.
      this.facts.flush();
    }
  }

  /** The registered device with its class and firmware version (golden values depend on both). */
  private async device(id: string): Promise<DeviceDetailView> {
    const view = await this.rpc.request<GetDeviceRequest, DeviceView>(Subjects.onboarding.getDevice, { id });
    return this.rpc.request<GetDeviceRequest, DeviceDetailView>(OnboardingSubjects.showDevice, { serial: view.serial });
  }
}
