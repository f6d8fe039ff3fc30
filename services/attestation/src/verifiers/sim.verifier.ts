import type { SimEvidence, SimView, VerifyEvidenceRequest } from '@iis/contracts';
import { Claims, DenyingVerifier, VerificationContext } from './evidence-verifier';
import { checkSimBinding, simClaims } from './sim-binding';
import { provenSimKey } from './sim-key';

/**
 * `sim`: the ICCID, IMSI and IMEI the device reports, against its SIM in the onboarding registry.
 * Every sighting is reported (`sighting`) before the verdict, so the policy engine sees a
 * possible clone or SIM swap even when this evidence fails. The sighting names the device key
 * the evidence proved, so a key other than the one bound to the SIM reaches the policy engine
 * as `sim.keyChanged`, as another IMEI does as `sim.imeiChanged`.
 */
export class SimVerifier extends DenyingVerifier {
  readonly type = 'sim' as const;

  constructor(
    private readonly findSim: (iccid: string) => Promise<SimView | null>,
    private readonly sighting: (deviceId: string, claims: SimEvidence, keySha256: string | null) => Promise<void>,
  ) {
    super();
  }

  override async verify(req: VerifyEvidenceRequest, ctx: VerificationContext): Promise<Claims> {
    const claims = simClaims(req.sim);
    let key: string | null = null;
    let keyRefusal: unknown;
    try {
      key = provenSimKey(claims, ctx.nonce);
    } catch (e) {
      keyRefusal = e;
    }
    await this.sighting(ctx.device.id, claims, key);
    if (keyRefusal) throw keyRefusal;
    const bound = ctx.device.sim;
    const elsewhere = bound && bound.iccid === claims.iccid ? null : await this.findSim(claims.iccid);
    checkSimBinding(claims, bound, elsewhere, key);
    return { 'sim.iccid': claims.iccid, 'sim.imsi': claims.imsi, 'sim.imei': claims.imei, ...(key ? { 'sim.keySha256': key } : {}) };
  }
}
