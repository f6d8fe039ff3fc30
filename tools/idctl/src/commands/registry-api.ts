import type {
  DeviceDetailView,
  EstLabelView,
  ImportDeviceRow,
  ImportDevicesReply,
  ListEnrollmentsReply,
  ListEstLabelsReply,
  ListPendingReply,
  ListSimsReply,
  PendingEnrollmentView,
  SimView,
} from '@iis/contracts';
import type { ApiClient } from '../api-client';

const q = (params: Record<string, string | number | undefined>) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) s.set(k, String(v));
  const t = s.toString();
  return t ? `?${t}` : '';
};
const e = encodeURIComponent;

/** The registry, EST label and enrollment endpoints of the operator API, over the shared ApiClient. */
export function registryApi(api: ApiClient) {
  const r = api;
  return {
    deviceDetails: (serial: string) => r.request<DeviceDetailView>('GET', `/devices/${e(serial)}/details`),
    setDeviceStatus: (serial: string, status: string) => r.request<DeviceDetailView>('PUT', `/devices/${e(serial)}/status`, { status }),
    importDevices: (rows: ImportDeviceRow[], withSecrets: boolean) => r.request<ImportDevicesReply>('POST', '/devices/import', { rows, ...(withSecrets ? { withSecrets } : {}) }),
    addSim: (body: { iccid: string; imsi: string; imei: string; deviceSerial?: string }) => r.request<SimView>('POST', '/sims', body),
    listSims: (f: { status?: string; after?: string; limit?: number }) => r.request<ListSimsReply>('GET', `/sims${q(f)}`),
    listLabels: () => r.request<ListEstLabelsReply>('GET', '/est-labels'),
    setLabel: (name: string, body: Partial<EstLabelView>) => r.request<EstLabelView>('PUT', `/est-labels/${e(name)}`, body),
    listEnrollments: (f: { serial?: string; outcome?: string; limit?: number }) => r.request<ListEnrollmentsReply>('GET', `/enrollments${q(f)}`),
    listPending: (status?: string) => r.request<ListPendingReply>('GET', `/enrollments/pending${q({ status })}`),
    decide: (id: string, approve: boolean) => r.request<PendingEnrollmentView>('POST', `/enrollments/pending/${e(id)}/${approve ? 'approve' : 'reject'}`),
  };
}
