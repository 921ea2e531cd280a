// Notices over the API: my inbox, the notices of my places, and their receipts.
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';

export const NOTICES_KEY = 'notices';

export type InboxItem = { id: string; title: string; urgent: boolean; sentAt: string; read: boolean };
export type Notice = {
  id: string;
  title: string;
  body: string;
  urgent: boolean;
  attachments: { id: string; name: string; contentType: string }[];
  state: string;
  scheduledAt: string | null;
  sentAt: string | null;
  recipients: number;
  createdAt: string;
};
export type Receipts = {
  people: number;
  read: number;
  households: { householdId: string; headName: string; members: number; read: number; firstReadAt: string | null }[];
};

export const TRAITS = [
  'hasElder',
  'monitoredForPoverty',
  'keepsChickens',
  'keepsPigs',
  'growsTea',
  'hasStudent',
  'hasDisabledMember',
] as const;

export const useInbox = () =>
  useQuery({ queryKey: [NOTICES_KEY, 'inbox'], queryFn: () => api<{ unread: number; items: InboxItem[] }>('/api/notices/inbox') });

export const useNotice = (id: string | undefined) =>
  useQuery({ queryKey: [NOTICES_KEY, 'notice', id], queryFn: () => api<Notice>(`/api/notices/${id}`), enabled: Boolean(id) });

export const useNotices = () => useQuery({ queryKey: [NOTICES_KEY, 'list'], queryFn: () => api<{ items: Notice[] }>('/api/notices') });

export const useReceipts = (id: string | undefined) =>
  useQuery({ queryKey: [NOTICES_KEY, 'receipts', id], queryFn: () => api<Receipts>(`/api/notices/${id}/receipts`), enabled: Boolean(id) });
