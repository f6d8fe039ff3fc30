import type { Command } from '../context';
import { agent } from './agent';
import { certList } from './cert';
import { deviceAdd, deviceShow } from './device';
import { revocationsStatus, revoke } from './revoke';
import { secretCreate } from './secret';
import { simReportLost, simShow } from './sim';
import { policyCommands } from './policy';
import { auditExport, auditVerify } from './audit';
import { revocationList } from './revocation';
import { deviceImport } from './device-import';
import { deviceList } from './device-list';
import { operatorCertAdd, operatorCertList, operatorCertRemove } from './operator-cert';
import { status } from './status';
import { tokenCreate, tokenList, tokenRevoke } from './token';

/** Every command, in the order the usage text lists them. */
export const commands: Command[] = [deviceAdd, deviceShow, secretCreate, simShow, simReportLost, revoke, revocationsStatus, certList, agent, ...policyCommands];
commands.push(deviceList, deviceImport, revocationList, status, tokenCreate, tokenList, tokenRevoke, operatorCertAdd, operatorCertList, operatorCertRemove, auditVerify, auditExport);
