// The calls' requests: a family member's through the shared client (session cookie and CSRF token),
// the home device's with its own key (Authorization: Bearer), kept on the device after pairing.
import type {
  Call,
  CallTarget,
  HomeSettingsInput,
  HomeView,
  IceConfig,
  PairedDevice,
  PairingCode,
  SignalInput,
  StartCallInput,
} from '@cunzhi/contracts/care-calls';
import { ApiError, api } from '../../../lib/api-client.ts';
import i18n from '../../../lib/i18n.ts';

/** What a side of a call can do; the family's and the home device's differ only in how they sign their requests. */
export type CallApi = {
  headers: Record<string, string>;
  start(input: StartCallInput): Promise<Call>;
  answer(callId: string): Promise<void>;
  signal(callId: string, signal: SignalInput): Promise<void>;
  end(callId: string, reason?: 'hangup' | 'declined' | 'failed'): Promise<void>;
  ice(): Promise<IceConfig>;
  history(): Promise<{ items: Call[] }>;
};

export const familyApi = (elderPersonId?: string): CallApi => ({
  headers: {},
  start: (input) => api<Call>('/api/care/calls', { method: 'POST', body: input }),
  answer: (id) => api<void>(`/api/care/calls/${id}/answer`, { method: 'POST' }),
  signal: (id, signal) => api<void>(`/api/care/calls/${id}/signal`, { method: 'POST', body: signal }),
  end: (id, reason) => api<void>(`/api/care/calls/${id}/end`, { method: 'POST', body: reason ? { reason } : {} }),
  ice: () => api<IceConfig>('/api/care/calls/ice'),
  history: () => api<{ items: Call[] }>(`/api/care/calls${elderPersonId ? `?elderPersonId=${elderPersonId}` : ''}`),
});

export const callTarget = (elderPersonId: string) => api<CallTarget>(`/api/care/elders/${elderPersonId}/calling`);
export const issuePairing = (elderPersonId: string) =>
  api<PairingCode>(`/api/care/elders/${elderPersonId}/home-pairing`, { method: 'POST' });

const HOME_KEY = 'cunzhi.homeDeviceKey';
export const storedHomeKey = (): string | null => localStorage.getItem(HOME_KEY);
export const forgetHomeKey = () => localStorage.removeItem(HOME_KEY);

async function homeFetch<T>(key: string, path: string, method = 'GET', body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        'accept-language': i18n.language,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
    });
  } catch {
    throw new ApiError(0, 'network', i18n.language === 'en' ? 'No network connection' : '网络连接失败');
  }
  if (!response.ok) {
    const error = ((await response.json().catch(() => ({}))) as { error?: { code: string; message: string } }).error;
    throw new ApiError(response.status, error?.code ?? 'unknown', error?.message ?? response.statusText);
  }
  return (response.status === 204 ? undefined : await response.json()) as T;
}

export async function pairHome(code: string): Promise<PairedDevice> {
  const response = await fetch('/api/care/home/pair', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'accept-language': i18n.language },
    body: JSON.stringify({ code }),
    credentials: 'omit',
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(response.status, data.error?.code ?? 'unknown', data.error?.message ?? '');
  localStorage.setItem(HOME_KEY, (data as PairedDevice).key);
  return data as PairedDevice;
}

export const homeApi = (
  key: string,
): CallApi & { view(): Promise<HomeView>; saveSettings(input: HomeSettingsInput): Promise<void>; revoke(): Promise<void> } => ({
  headers: { authorization: `Bearer ${key}` },
  start: (input) => homeFetch<Call>(key, '/api/care/calls', 'POST', input),
  answer: (id) => homeFetch<void>(key, `/api/care/calls/${id}/answer`, 'POST'),
  signal: (id, signal) => homeFetch<void>(key, `/api/care/calls/${id}/signal`, 'POST', signal),
  end: (id, reason) => homeFetch<void>(key, `/api/care/calls/${id}/end`, 'POST', reason ? { reason } : {}),
  ice: () => homeFetch<IceConfig>(key, '/api/care/calls/ice'),
  history: () => homeFetch<{ items: Call[] }>(key, '/api/care/calls'),
  view: () => homeFetch<HomeView>(key, '/api/care/home'),
  saveSettings: (input) => homeFetch<void>(key, '/api/care/home/settings', 'PUT', input),
  /** Unpairs this device at the county: its key stops working. */
  revoke: () => homeFetch<void>(key, '/api/care/home', 'DELETE'),
});
