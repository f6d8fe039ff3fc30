import type { Provider } from '@nestjs/common';
import { Clock, CLOCK } from '@iis/config';
import { DomainError, ErrorCode, GetSimRequest, SimView, Subjects } from '@iis/contracts';
import { RpcClient } from '@iis/messaging';
import { RPC } from '@iis/runtime';
import type { AttestationSettings } from '../attestation-settings';
import { EVIDENCE_VERIFIERS } from '../evidence/verify-evidence.usecase';
import { AttestationFactsPublisher } from '../facts/attestation-facts.publisher';
import { EvidenceVerifiers } from './evidence-verifiers';
import { IdevidVerifier } from './idevid.verifier';
import { SimVerifier } from './sim.verifier';
import { Tpm2QuoteVerifier } from './tpm2-quote.verifier';

/** Every evidence type the service verifies; anything else is refused. */
export function evidenceVerifiersProvider(settings: AttestationSettings): Provider {
  return {
    provide: EVIDENCE_VERIFIERS,
    inject: [RPC, CLOCK, AttestationFactsPublisher],
    useFactory: (rpc: RpcClient, clock: Clock, facts: AttestationFactsPublisher) => {
      const findSim = (iccid: string) =>
        rpc.request<GetSimRequest, SimView>(Subjects.onboarding.getSim, { iccid }).catch((e: unknown) => {
          if (e instanceof DomainError && e.code === ErrorCode.NotFound) return null;
          throw e;
        });
      return new EvidenceVerifiers([
        new Tpm2QuoteVerifier(settings.tpmVendorCas, () => settings.golden),
        new IdevidVerifier(settings.manufacturerRoots),
        new SimVerifier(findSim, (deviceId, sim, keySha256) => facts.publishSimSeen(deviceId, sim, clock.now(), keySha256)),
      ]);
    },
  };
}
