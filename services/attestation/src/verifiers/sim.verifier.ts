import type { SimEvidence, SimView, VerifyEvidenceRequest } from '@iis/contracts';
import { Claims, DenyingVerifier, VerificationContext } from './evidence-verifier';
import { checkSimBinding, simClaims } from './sim-binding';

/**
 * `sim`: the ICCID, IMSI and IMEI the device reports, against its SIM in the onboarding registry.
 * Every sighting is reported (`sighting`) before the verdict, so the policy engine sees a
 * possible clone or SIM swap even when this evidence fails.
 */
export class SimVerifier extends DenyingVerifier {
  readonly type = 'sim' as const;

  constructor(
    private readonly findSim: (iccid: string) => Promise<SimView | null>,
    private readonly sighting: (deviceId: string, claims: SimEvidence) => Promise<void>,
  ) {
    super();
  }

  override async verify(req: VerifyEvidenceRequest, ctx: VerificationContext): Promise<Claims> {
    const claims = simClaims(req.sim);
    await this.sighting(ctx.device.id, claims);
    const bound = ctx.device.sim;
    const elsewhere = bound && bound.iccid === claims.iccid ? null : await this.findSim(claims.iccid);
    checkSimBinding(claims, bound, elsewhere);
    return { 'sim.iccid': claims.iccid, 'sim.imsi': claims.imsi, 'sim.imei': claims.imei };
  }
}
