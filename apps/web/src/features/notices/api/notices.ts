// Notices over the API: my inbox, the notices of my places, and their receipts.
import type { AudienceSize, Inbox, NOTICE_TRAITS, Notice, NoticeInput, NoticeTransition, Receipts } from '@cunzhi/contracts/notices';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';

export const NOTICES_KEY = 'notices';

export const useInbox = () => useQuery({ queryKey: [NOTICES_KEY, 'inbox'], queryFn: () => api<Inbox>('/api/notices/inbox') });

export const useNotice = (id: string | undefined) =>
  useQuery({ queryKey: [NOTICES_KEY, 'notice', id], queryFn: () => api<Notice>(`/api/notices/${id}`), enabled: Boolean(id) });

/** The notices of my places; `every` says, from what was read, how soon to read them again (false: not). */
export const useNotices = (every?: (items: Notice[]) => number | false) =>
  useQuery({
    queryKey: [NOTICES_KEY, 'list'],
    queryFn: () => api<{ items: Notice[] }>('/api/notices'),
    refetchInterval: every ? (query) => every(query.state.data?.items ?? []) : undefined,
  });

export const useReceipts = (id: string | undefined) =>
  useQuery({ queryKey: [NOTICES_KEY, 'receipts', id], queryFn: () => api<Receipts>(`/api/notices/${id}/receipts`), enabled: Boolean(id) });

// The contract's traits come out as never (a Type.Union over a mapped array), so they are named here from NOTICE_TRAITS.
type NoticeDraft = Omit<NoticeInput, 'audience' | 'send' | 'scheduledAt'> & {
  audience: Omit<NoticeInput['audience'], 'traits'> & { traits?: (typeof NOTICE_TRAITS)[number][] };
};

/**
 * Written as a draft, its pictures and files attached, then sent now or scheduled. `formKey` is the
 * form's Idempotency-Key: sent again (a retry after a lost answer), the draft is the one made first.
 */
export async function publishNotice(formKey: string, draft: NoticeDraft, files: File[], then: NoticeTransition): Promise<void> {
  const { id } = await api<{ id: string }>('/api/notices', { method: 'POST', body: draft, idempotencyKey: formKey });
  for (const file of files) await api(`/api/notices/${id}/attachments?name=${encodeURIComponent(file.name)}`, { method: 'POST', file });
  await api(`/api/notices/${id}/transitions`, { method: 'POST', body: then });
}

/** How many people and households the audience reaches now: shown before sending, asked again as it changes. */
export const useAudienceSize = (audience: NoticeDraft['audience']) =>
  useQuery({
    queryKey: [NOTICES_KEY, 'audience-size', audience],
    queryFn: () => api<AudienceSize>('/api/notices/audience-size', { method: 'POST', body: audience }),
    placeholderData: keepPreviousData,
  });
