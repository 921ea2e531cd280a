// An alarm said in words for the elder's family and carers: what it is, where it stands, who has it
// in hand or closed it, and when ("一键呼救 · 已处置 · 村医 张医生 · 12/03 11:40"). The family's home
// card and the elder's card say the same; the words are in lib/i18n-shared.ts, so the home page
// needs none of the care pages' words.
import type { Alarm } from '@cunzhi/contracts/care';
import { formatWhen } from '../../lib/format-time.ts';

/**
 * How long a closed alarm stays in view: FAMILY_SEES_CLOSED_ALARMS_MS of contracts/care.ts, which the
 * server applies to the family's reads (written out here to keep TypeBox out of the home page).
 */
export const CLOSED_SHOWN_MS = 24 * 3_600_000;

type Say = (key: string, options?: Record<string, unknown>) => string;

export const isOpenAlarm = (alarm: Alarm) => alarm.state === 'raised' || alarm.state === 'acknowledged';

/** Alarms closed (dealt with, or a fall cancelled by "I'm OK") within CLOSED_SHOWN_MS, newest first. */
export const recentlyClosed = (alarms: Alarm[], now = Date.now()) =>
  alarms
    .filter((a) => (a.state === 'resolved' || a.state === 'cancelled') && a.resolvedAt !== null)
    .filter((a) => now - Date.parse(a.resolvedAt as string) < CLOSED_SHOWN_MS)
    .sort((a, b) => Date.parse(b.resolvedAt as string) - Date.parse(a.resolvedAt as string));

/** "一键呼救 · 处置中 · 村医 张医生 · 12/03 11:20": the time it was closed, else the time last raised. */
export function alarmLine(t: Say, alarm: Alarm): string {
  const parts = [
    t(`care.causes.${alarm.cause}`, { defaultValue: alarm.cause }),
    t(`care.states.${alarm.state}`, { defaultValue: alarm.state }),
  ];
  if (alarm.handledBy) parts.push(`${t(`care.handlerRoles.${alarm.handledBy.role}`)} ${alarm.handledBy.name}`);
  parts.push(formatWhen(alarm.resolvedAt ?? alarm.lastAt));
  return parts.join(' · ');
}

/** The note the person who closed it wrote ("处置情况：已电话联系，老人误按"); a cancelled fall has none to show. */
export const handlingNote = (t: Say, alarm: Alarm): string | null =>
  alarm.state === 'resolved' && alarm.note ? t('care.handlingNote', { note: alarm.note }) : null;
