import { DomainError, ErrorCode } from '@iis/contracts';

/** The validated parts of a command on one SIM (report lost, suspend, resume). */
export interface SimCommand {
  iccid: string;
  reason: string;
  actor: string;
}

/** ITU-T E.118: an ICCID is 18 to 22 digits (19-20 in practice, with the Luhn digit). */
const ICCID = /^\d{18,22}$/;

export function simCommand(cmd: { iccid?: unknown; reason?: unknown; actor?: unknown } | null | undefined, defaultReason: string): SimCommand {
  if (!cmd || typeof cmd.iccid !== 'string' || !ICCID.test(cmd.iccid)) throw new DomainError(ErrorCode.BadRequest, 'iccid must be 18 to 22 digits');
  const reason = typeof cmd.reason === 'string' && cmd.reason.trim() ? cmd.reason.trim().slice(0, 400) : defaultReason;
  const actor = typeof cmd.actor === 'string' && cmd.actor ? cmd.actor.slice(0, 200) : 'unknown';
  return { iccid: cmd.iccid, reason, actor };
}
