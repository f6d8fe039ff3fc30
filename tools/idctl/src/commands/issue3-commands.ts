import type { Command } from '../context';
import { enrollmentApprove, enrollmentList, enrollmentPending, enrollmentReject, estLabelList, estLabelSet } from './est';
import { deviceDetails, deviceImport, deviceList, deviceStatus, simAdd, simList } from './registry';

/** Registry, EST label and enrollment commands (issue 3), registered in index.ts in one line. */
export const commands: Command[] = [deviceList, deviceDetails, deviceStatus, deviceImport, simAdd, simList, estLabelSet, estLabelList, enrollmentList, enrollmentPending, enrollmentApprove, enrollmentReject];
