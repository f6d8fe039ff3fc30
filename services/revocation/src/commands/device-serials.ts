import { DeviceView, GetDeviceRequest, Subjects } from '@iis/contracts';
import { RpcClient } from '@iis/messaging';

/** Device id → serial, from the registry: device certificates carry CN = the device serial. */
export async function deviceSerials(rpc: RpcClient, deviceIds: (string | null)[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const id of new Set(deviceIds.filter((d): d is string => !!d))) {
    const device = await rpc.request<GetDeviceRequest, DeviceView>(Subjects.onboarding.getDevice, { id });
    out.set(id, device.serial);
  }
  return out;
}
