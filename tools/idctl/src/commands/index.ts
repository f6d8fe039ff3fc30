import type { Command } from '../context';
import { agent } from './agent';
import { certList } from './cert';
import { deviceAdd, deviceShow } from './device';
import { revocationsStatus, revoke } from './revoke';
import { secretCreate } from './secret';
import { simReportLost, simShow } from './sim';
import { policyCommands } from './policy';
import * as issue3 from './issue3-commands';
import { auditExport, auditVerify } from './audit';
import { revocationList } from './revocation';
import { deviceList } from './device-list';
import { operatorCertAdd, operatorCertList, operatorCertRemove } from './operator-cert';
import { status } from './status';
import { tokenCreate, tokenList, tokenRevoke } from './token';

/** Every command, in the order the usage text lists them. */
export const commands: Command[] = [deviceAdd, deviceShow, secretCreate, simShow, simReportLost, revoke, revocationsStatus, certList, agent, ...policyCommands];
commands.push(deviceList, revocationList, status, tokenCreate, tokenList, tokenRevoke, operatorCertAdd, operatorCertList, operatorCertRemove, auditVerify, auditExport);
// Registry, EST labels and enrollments; `device list` is the paginated one above.
commands.push(...issue3.commands.filter((c) => c.name !== 'device list'));
