// The small read-only figures the home tiles show: unread messages and notices, open tasks, my
// reports waiting for my rating,
// elders still to visit today, the points balance. Each is asked only of the roles whose tile
// shows it, and a failure just leaves the tile without a figure.
import type { Farm } from '@cunzhi/contracts/agri-farms';
import type { Alarm, Elder } from '@cunzhi/contracts/care';
import type { RoundsItem } from '@cunzhi/contracts/care-rounds';
import type { AwaitingMyRating, CaseSummaryPage } from '@cunzhi/contracts/cases';
import type { Inbox } from '@cunzhi/contracts/notices';
import type { NotificationPage } from '@cunzhi/contracts/notifications';
import type { PointsAccount } from '@cunzhi/contracts/points';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';

const HOME = 'home';
const quiet = { retry: false, refetchInterval: 60_000 } as const;

/**
 * Unread messages for the 消息 tile. With a 通知 tile beside it (`besideNotices`), the messages that
 * only announce a notice are left out: the 通知 tile counts that notice, and one unread notice is
 * one figure on the home page, not two. 通知 keeps it because that is where it is read (opening it
 * there marks its message read too); 消息 is what happened to one's own matters.
 */
export const useUnreadMessages = (besideNotices: boolean) =>
  useQuery({
    queryKey: [HOME, 'notifications'],
    queryFn: () => api<NotificationPage>('/api/notifications?limit=1'),
    select: (page) => page.unread - (besideNotices ? page.unreadNotices : 0),
    ...quiet,
  });

export const useUnreadNotices = (enabled: boolean) =>
  useQuery({ queryKey: [HOME, 'notices'], queryFn: async () => (await api<Inbox>('/api/notices/inbox')).unread, enabled, ...quiet });

/** Open tasks of a grid worker: the first page of their queue, and whether there are more. */
export const useOpenTasks = (enabled: boolean) =>
  useQuery({
    queryKey: [HOME, 'tasks'],
    queryFn: async () => {
      const page = await api<CaseSummaryPage>('/api/cases?view=mine&limit=50');
      return { count: page.items.length, more: Boolean(page.nextCursor) };
    },
    enabled,
    ...quiet,
  });

/** My reports answered and waiting for my rating (the 我的反映 tile): my own cases only. */
export const useAwaitingMyRating = (enabled: boolean) =>
  useQuery({
    queryKey: [HOME, 'to-rate'],
    queryFn: async () => (await api<AwaitingMyRating>('/api/cases/awaiting-my-rating')).count,
    enabled,
    ...quiet,
  });

/** Elders of today's round with a visit still due. */
export const useDueVisits = (enabled: boolean) =>
  useQuery({
    queryKey: [HOME, 'rounds'],
    queryFn: async () =>
      (await api<{ items: RoundsItem[] }>('/api/care/rounds')).items.filter((item) => item.due.some((d) => !d.done)).length,
    enabled,
    ...quiet,
  });

export const usePointsBalance = (householdId: string | null | undefined) =>
  useQuery({
    queryKey: [HOME, 'points', householdId],
    queryFn: async () => (await api<PointsAccount>(`/api/points/accounts/${householdId}`)).balance,
    enabled: Boolean(householdId),
    ...quiet,
  });

/** Advice sent to the household's farm and not yet read (a farm with nothing recorded has none). */
export const useUnreadAdvice = (householdId: string | null | undefined) =>
  useQuery({
    queryKey: [HOME, 'agri', householdId],
    queryFn: async () => (await api<Farm>(`/api/agri/farms/${householdId}`)).unreadAdvice,
    enabled: Boolean(householdId),
    ...quiet,
  });

/** The elders linked to a family member (or in a carer's scope), with their open alarms. */
export const useLinkedElders = (enabled: boolean) =>
  useQuery({
    queryKey: [HOME, 'elders'],
    queryFn: async () => (await api<{ items: Elder[] }>('/api/care/elders')).items,
    enabled,
    ...quiet,
  });

/**
 * Open alarms (raised or taken on) in my scope, for the 关爱老人 tile: the duty screen's own read
 * (GET /api/care/alarms?open=true, at most 200 answered, so 200 means "200 or more").
 */
export const useOpenAlarmsInScope = (enabled: boolean) =>
  useQuery({
    queryKey: [HOME, 'alarms', 'open'],
    queryFn: async () => {
      const items = (await api<{ items: { state: string }[] }>('/api/care/alarms?open=true')).items;
      return { count: items.length, more: items.length >= 200 };
    },
    enabled,
    ...quiet,
  });

/** An elder's alarms as the family's home card says them: the open ones, and those closed within a day (the server keeps no older ones for the family). */
export const useElderAlarmsAtHome = (elderId: string) =>
  useQuery({
    queryKey: [HOME, 'alarms', elderId],
    queryFn: async () => (await api<{ items: Alarm[] }>(`/api/care/alarms?elder=${elderId}`)).items,
    ...quiet,
  });

/** The elder's home phone: asked only when the call button is pressed, since the server audits every read. */
export const fetchElderPhone = async (elderId: string): Promise<string | null> =>
  (await api<{ phone: string | null }>(`/api/care/elders/${elderId}/home`)).phone;
