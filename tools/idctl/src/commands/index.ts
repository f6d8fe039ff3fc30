import type { Command } from '../context';
import { agent } from './agent';
import { certList } from './cert';
import { deviceAdd, deviceShow } from './device';
import { revocationsStatus, revoke } from './revoke';
import { secretCreate } from './secret';
import { simReportLost, simShow } from './sim';
import { policyCommands } from './policy';

/** Every command, in the order the usage text lists them. */
export const commands: Command[] = [deviceAdd, deviceShow, secretCreate, simShow, simReportLost, revoke, revocationsStatus, certList, agent, ...policyCommands];
