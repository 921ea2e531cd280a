// The care module's records as the API shows them: whitelisted fields, times in ISO-8601. Shared by
// the care route files (a visit list carries elders, a reading batch carries alarms).
import type { Alarm, Device, Elder, Reading, Trend } from '@cunzhi/contracts/care';
import type { DeviceCommand, ReminderDelivery, ReminderSummary } from '@cunzhi/contracts/care-commands';
import type { RoundsItem, Visit } from '@cunzhi/contracts/care-rounds';
import { toIso, toIsoOrNull } from '../../platform/time.ts';
import type * as alarms from './care-alarms.repository.ts';
import type * as commands from './care-commands.repository.ts';
import type { CommandDelivery } from './care-commands.service.ts';
import type * as devices from './care-devices.repository.ts';
import type * as elders from './care-elders.repository.ts';
import type * as readings from './care-ingest.repository.ts';
import { readingFlagUnder } from './care-reading-flag.ts';
import type * as rollups from './care-rollups.repository.ts';
import type { PlanItem, Visit as VisitWithName } from './care-rounds.service.ts';
import type { ElderRules } from './care-rules.ts';

export const presentAlarm = (a: alarms.Alarm & { handledBy?: Alarm['handledBy'] }): Alarm => ({
  id: a.id,
  elderPersonId: a.elderPersonId,
  cause: a.cause,
  severity: a.severity,
  state: a.state,
  repeats: a.repeats,
  value: a.value,
  firstAt: toIso(a.firstAt),
  lastAt: toIso(a.lastAt),
  acknowledgedAt: toIsoOrNull(a.acknowledgedAt),
  resolvedAt: toIsoOrNull(a.resolvedAt),
  note: a.note,
  ...(a.handledBy !== undefined && { handledBy: a.handledBy }),
});

export const presentElder = (e: elders.Elder): Elder => ({
  personId: e.personId,
  name: e.name,
  livingSituation: e.livingSituation,
  conditions: e.conditions,
  contacts: e.contacts,
  presence: e.presence,
  lastActivityAt: toIsoOrNull(e.lastActivityAt),
});

export const presentDevice = (d: devices.Device): Device => ({
  id: d.id,
  serial: d.serial,
  kind: d.kind,
  battery: d.battery,
  lastSeenAt: toIsoOrNull(d.lastSeenAt),
});

/** A reading with its 偏高/偏低 under the rules of the elder it belongs to (their own, or the county's). */
export const presentReading = (r: readings.StoredReading, own: ElderRules | null): Reading => ({
  kind: r.kind,
  value: r.value1,
  value2: r.value2,
  at: toIso(r.at),
  flag: readingFlagUnder(r, own),
});

export const presentTrend = (t: rollups.Trend): Trend => ({ ...t, start: toIso(t.start) });

export const presentVisit = (v: VisitWithName): Visit => ({ ...v, at: toIso(v.at) });

export const presentRoundsItem = (item: PlanItem): RoundsItem => ({
  elder: presentElder(item.elder),
  due: item.due.map((d) => ({ ...d, lastAt: toIsoOrNull(d.lastAt) })),
});

export const presentCommand = (c: commands.DeviceCommand): DeviceCommand => ({ ...c, expiresAt: toIso(c.expiresAt) });

export const presentReminder = (r: {
  id: string;
  text: string;
  createdAt: number;
  counts: ReminderSummary['counts'];
}): ReminderSummary => ({
  ...r,
  createdAt: toIso(r.createdAt),
});

export const presentDelivery = (d: CommandDelivery): ReminderDelivery => ({
  ...d,
  sentAt: toIsoOrNull(d.sentAt),
  deliveredAt: toIsoOrNull(d.deliveredAt),
});
