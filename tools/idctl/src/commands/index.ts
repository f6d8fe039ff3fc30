import type { Command } from '../context';
import { agent } from './agent';
import { attestationList, attestationShow } from './attestation';
import { certList } from './cert';
import { deviceAdd, deviceShow } from './device';
import { revocationsStatus, revoke } from './revoke';
import { secretCreate } from './secret';
import { simReportLost, simResume, simShow, simSuspend } from './sim';
import { policyCommands } from './policy';
import { enrollmentApprove, enrollmentList, enrollmentPending, enrollmentReject, estLabelList, estLabelSet } from './est';
import { deviceDetails, deviceImport, deviceStatus, simAdd, simList } from './registry';
import { auditExport, auditVerify } from './audit';
import { revocationList } from './revocation';
import { deviceList } from './device-list';
import { operatorCertAdd, operatorCertList, operatorCertRemove } from './operator-cert';
import { status } from './status';
import { tokenCreate, tokenList, tokenRevoke } from './token';

/** Every command, in the order the usage text lists them. */
export const commands: Command[] = [deviceAdd, deviceShow, secretCreate, simShow, simReportLost, simSuspend, simResume, revoke, revocationsStatus, certList, agent, ...policyCommands];
commands.push(deviceList, revocationList, status, tokenCreate, tokenList, tokenRevoke, operatorCertAdd, operatorCertList, operatorCertRemove, auditVerify, auditExport);
commands.push(deviceDetails, deviceStatus, deviceImport, simAdd, simList, estLabelSet, estLabelList, enrollmentList, enrollmentPending, enrollmentApprove, enrollmentReject);
commands.push(attestationList, attestationShow);
