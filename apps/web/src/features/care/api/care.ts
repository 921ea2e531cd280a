// Elder care over the API: elders, their readings, roll-ups, visits and alarms; rounds; reminders.
import type { Alarm, AlarmRule, AlarmRulesInput, Device, Elder, ElderHome, Reading, Trend } from '@cunzhi/contracts/care';
import type { ReminderInput, ReminderSummary } from '@cunzhi/contracts/care-commands';
import type { MissedVisit, RoundsItem, VISIT_KINDS, Visit, VisitInput } from '@cunzhi/contracts/care-rounds';
import { type QueryClient, queryOptions, useQuery } from '@tanstack/react-query';
import type { Static } from 'typebox';
import { api, query } from '../../../lib/api-client.ts';
import { defineCommands } from '../../../lib/outbox.ts';
import { FIRST_READS_FRESH_MS, whenSignedIn } from '../../../lib/session.ts';

export const CARE_KEY = 'care';

const DAY = 24 * 3_600_000;
const since = (days: number) => new Date(Date.now() - days * DAY).toISOString();

// The family page's reads, asked for at start (prefetchFamilyPage) as well as by its components.
const eldersQuery = (mine: boolean) =>
  queryOptions({
    queryKey: [CARE_KEY, 'elders', mine],
    queryFn: () => api<{ items: Elder[] }>(`/api/care/elders${mine ? '?mine=true' : ''}`),
    staleTime: FIRST_READS_FRESH_MS,
  });

const readingsQuery = (elderId: string) =>
  queryOptions({
    queryKey: [CARE_KEY, 'readings', elderId],
    queryFn: () => api<{ items: Reading[] }>(`/api/care/elders/${elderId}/readings${query({ since: since(1) })}`),
    staleTime: FIRST_READS_FRESH_MS,
  });

const trendsQuery = (elderId: string) =>
  queryOptions({
    queryKey: [CARE_KEY, 'trends', elderId],
    queryFn: () => api<{ items: Trend[] }>(`/api/care/elders/${elderId}/trends${query({ period: 'day', since: since(30) })}`),
    staleTime: FIRST_READS_FRESH_MS,
  });

const visitsQuery = (elderId: string) =>
  queryOptions({
    queryKey: [CARE_KEY, 'visits', elderId],
    queryFn: () => api<{ items: Visit[] }>(`/api/care/elders/${elderId}/visits${query({ since: since(14) })}`),
    staleTime: FIRST_READS_FRESH_MS,
  });

const elderAlarmsQuery = (elderId: string) =>
  queryOptions({
    queryKey: [CARE_KEY, 'alarms', elderId],
    queryFn: () => api<{ items: Alarm[] }>(`/api/care/alarms${query({ elder: elderId })}`),
    staleTime: FIRST_READS_FRESH_MS,
  });

const elderHomeQuery = (elderId: string) =>
  queryOptions({
    queryKey: [CARE_KEY, 'home', elderId],
    queryFn: () => api<ElderHome>(`/api/care/elders/${elderId}/home`),
    retry: false,
    staleTime: 10 * 60_000,
  });

export const useElders = (mine = false) => useQuery(eldersQuery(mine));

/** The last day's readings: the newest of each kind is what a family member looks at first. */
export const useRecentReadings = (elderId: string) => useQuery(readingsQuery(elderId));

/** Daily roll-ups of the last month, for the trend lines. */
export const useDailyTrends = (elderId: string) => useQuery(trendsQuery(elderId));

export const useVisits = (elderId: string) => useQuery(visitsQuery(elderId));

export const useElderAlarms = (elderId: string) => useQuery(elderAlarmsQuery(elderId));

/** Every open alarm in my scope: the duty screen's list, which the live stream then keeps current. */
export const useOpenAlarms = () =>
  useQuery({ queryKey: [CARE_KEY, 'alarms'], queryFn: () => api<{ items: Alarm[] }>(`/api/care/alarms${query({ open: 'true' })}`) });

export const useRounds = () =>
  useQuery({ queryKey: [CARE_KEY, 'rounds'], queryFn: () => api<{ items: RoundsItem[] }>('/api/care/rounds') });

export const useReminders = () =>
  useQuery({ queryKey: [CARE_KEY, 'reminders'], queryFn: () => api<{ items: ReminderSummary[] }>('/api/care/reminders') });

export const useMissedVisits = (days = 7) =>
  useQuery({
    queryKey: [CARE_KEY, 'missed', days],
    queryFn: () => api<{ items: MissedVisit[] }>(`/api/care/missed-visits${query({ since: since(days).slice(0, 10) })}`),
  });

/** The roles the server shows an elder's address and phone to (a family member only for their linked elders). */
const HOME_READERS = ['doctor', 'caretaker', 'gridWorker', 'familyMember'];

/** Whether to ask for an elder's home at all: a refused read is audited, so others never ask. */
export const mayReadHome = (roles: readonly string[]) => roles.some((role) => HOME_READERS.includes(role));

/** Where an elder lives and the phone to call, for those who go to the door (each read audited). */
export const useElderHome = (elderId: string, enabled: boolean) => useQuery({ ...elderHomeQuery(elderId), enabled });

/**
 * The family page's reads, asked for at start (app/router.tsx) rather than after the layout, the
 * page and then each elder's card have drawn: its elders, then each one's card (ElderCard, which
 * draws when all of them are in). The home is asked only of those the card asks it of.
 */
export function prefetchFamilyPage(client: QueryClient): void {
  const asked = new Set<string>();
  const askCards = (ids: readonly string[]) => {
    for (const personId of ids) {
      if (asked.has(personId)) continue;
      asked.add(personId);
      void client.prefetchQuery(readingsQuery(personId));
      void client.prefetchQuery(trendsQuery(personId));
      void client.prefetchQuery(elderAlarmsQuery(personId));
      void client.prefetchQuery(visitsQuery(personId));
    }
  };
  // The list and the cards' reads need nothing the session says: they go out beside it, not after
  // it. Nobody signed in: refused, and asked again after sign-in.
  const listed = client.fetchQuery(eldersQuery(false)).then(
    (elders) => {
      const ids = elders.items.map((elder) => elder.personId);
      askCards(ids);
      return ids;
    },
    () => undefined,
  );
  whenSignedIn(client, async (session) => {
    const askHomes = (ids: readonly string[]) => {
      if (!mayReadHome(session.user.assignments.map((a) => a.role))) return;
      for (const personId of ids) void client.prefetchQuery(elderHomeQuery(personId));
    };
    // The elders this person saw last time on this phone: their cards' reads go out beside the list
    // instead of after it (one round trip less on a slow network; Lighthouse's family page waited
    // for the list, then for the five reads of each card). Ids only, and only this person's.
    const remembered = rememberedElders(session.user.id);
    askCards(remembered);
    askHomes(remembered);
    const ids = await listed;
    if (!ids) return;
    rememberElders(session.user.id, ids);
    askHomes(ids.filter((id) => !remembered.includes(id)));
  });
}

const REMEMBERED_KEY = 'cunzhi.family.elders';

function rememberedElders(userId: string): string[] {
  try {
    const stored = JSON.parse(localStorage.getItem(REMEMBERED_KEY) ?? 'null') as { userId?: unknown; ids?: unknown } | null;
    if (stored?.userId !== userId || !Array.isArray(stored.ids)) return [];
    // A handful at most, each an id as the server gives them: nothing else from storage reaches a URL.
    return stored.ids.filter((id): id is string => typeof id === 'string' && /^[0-9a-f-]{36}$/.test(id)).slice(0, 10);
  } catch {
    return [];
  }
}

function rememberElders(userId: string, ids: readonly string[]): void {
  try {
    localStorage.setItem(REMEMBERED_KEY, JSON.stringify({ userId, ids: ids.slice(0, 10) }));
  } catch {
    // Storage full or refused (private mode): the next start asks after the list, as before.
  }
}

export const useDevices = (elderId: string) =>
  useQuery({ queryKey: [CARE_KEY, 'devices', elderId], queryFn: () => api<{ items: Device[] }>(`/api/care/elders/${elderId}/devices`) });

export const useAlarmRules = (elderId: string) =>
  useQuery({ queryKey: [CARE_KEY, 'rules', elderId], queryFn: () => api<{ items: AlarmRule[] }>(`/api/care/elders/${elderId}/rules`) });

/** Writes made online at a desk: each answers or throws, and the page refreshes what it changed. */
export const careApi = {
  saveRules: (elderId: string, body: Static<typeof AlarmRulesInput>) => api(`/api/care/elders/${elderId}/rules`, { method: 'PUT', body }),
  actOnAlarm: (alarmId: string, action: 'acknowledge' | 'resolve', note: string) =>
    api(`/api/care/alarms/${alarmId}/${action}`, { method: 'POST', body: action === 'resolve' ? { note } : {} }),
  remindAll: (body: ReminderInput) => api('/api/care/reminders', { method: 'POST', body }),
};

// The contract's kind comes out as never (a Type.Union over a mapped array), so it is named here from VISIT_KINDS.
export type VisitBody = Omit<VisitInput, 'kind'> & { kind: (typeof VISIT_KINDS)[number] };

/** A carer's check-ins and a family's reminders go through the outbox: sent now, or once the network is back. */
export const careCommands = defineCommands<{
  'care.recordVisit': { elderPersonId: string; visit: VisitBody };
  'care.sendReminder': ReminderInput;
}>({
  'care.recordVisit': ({ elderPersonId, visit }) => ({ path: `/api/care/elders/${elderPersonId}/visits`, json: visit }),
  'care.sendReminder': (body) => ({ path: '/api/care/reminders', json: body }),
});

export const recordVisit = (elderPersonId: string, visit: VisitBody, label: string) =>
  careCommands.queue('care.recordVisit', { elderPersonId, visit }, { label, subjectId: elderPersonId });

/** `key`: the form's own, so that the same reminder tapped twice is sent (and heard) once. */
export const sendReminder = (body: ReminderInput, label: string, key?: string) =>
  careCommands.queue('care.sendReminder', body, { label }, key);
