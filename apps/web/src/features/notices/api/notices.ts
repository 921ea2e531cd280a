// Notices over the API: my inbox, the notices of my places, and their receipts.
import type { Inbox, Notice, Receipts } from '@cunzhi/contracts/notices';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';

export const NOTICES_KEY = 'notices';

export const useInbox = () => useQuery({ queryKey: [NOTICES_KEY, 'inbox'], queryFn: () => api<Inbox>('/api/notices/inbox') });

export const useNotice = (id: string | undefined) =>
  useQuery({ queryKey: [NOTICES_KEY, 'notice', id], queryFn: () => api<Notice>(`/api/notices/${id}`), enabled: Boolean(id) });

export const useNotices = () => useQuery({ queryKey: [NOTICES_KEY, 'list'], queryFn: () => api<{ items: Notice[] }>('/api/notices') });

export const useReceipts = (id: string | undefined) =>
  useQuery({ queryKey: [NOTICES_KEY, 'receipts', id], queryFn: () => api<Receipts>(`/api/notices/${id}/receipts`), enabled: Boolean(id) });
