import type { Command } from '../context';
import { agent } from './agent';
import { certList } from './cert';
import { deviceAdd, deviceShow } from './device';
import { secretCreate } from './secret';
import { simReportLost, simShow } from './sim';
import * as issue3 from './issue3-commands';

/** Every command, in the order the usage text lists them. */
export const commands: Command[] = [deviceAdd, deviceShow, secretCreate, simShow, simReportLost, certList, agent, ...issue3.commands];
