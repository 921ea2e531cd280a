// Care for empty-nester elders: readings come in from gateways in batches, each is checked, stored
// once, and run through the alarm rules in the same transaction; alarms go out live to everyone
// who may see them. Every read of an elder's health data is audited here, in the service, so that
// each way in (the care API, FHIR, a key granted read access) leaves the same trace.
import { isUniqueViolation } from '../../db/dialect.ts';
import { allows, authorize, hasPermission, type Principal, scopeFor } from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { groupCommitFor } from '../../platform/group-commit.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { notify } from '../../platform/notify.ts';
import { getPerson } from '../org/people.service.ts';
import { withdrawnAmong } from '../privacy/privacy.service.ts';
import * as repo from './care.repository.ts';
import { auditRead } from './care-audit.ts';
import { newDeviceKey } from './care-commands.ts';
import { listTrends, type Trend } from './care-rollups.ts';
import {
  type Cause,
  checkReading,
  type ElderRules,
  ESCALATION_CHAIN,
  effectiveRules,
  effectsOf,
  inactivityHoursOf,
  isActivity,
  LIMIT_RANGES,
  type Reading,
  type ReadingKind,
  type RuleOverride,
  SEVERITY,
  THRESHOLDS,
  TUNABLE_CAUSES,
} from './care-rules.ts';

export type ElderInput = {
  personId: string;
  livingSituation: string;
  conditions: string[];
  contacts: { name: string; relation: string; phone: string }[];
  doctorUserId?: string | null;
  caretakerUserId?: string | null;
  presence?: 'home' | 'away' | 'hospital';
};

/** Those caring for the elder's place, and the family members linked to the elder, may see their care. */
async function maySee(deps: Deps, principal: Principal, elderPersonId: string, placement: repo.Elder['placement']): Promise<boolean> {
  return allows(principal, 'care.read', placement) || (await repo.linkedElderIds(deps.reader, principal.userId)).includes(elderPersonId);
}

/**
 * A key the county granted no read scope (a device gateway writes readings only) is refused outright,
 * rather than shown an empty county: the sender then knows to ask for the grant.
 */
function refuseWriteOnlyKey(principal: Principal): void {
  if (principal.key && !hasPermission(principal, 'care.read')) throw new AppError('forbidden');
}

export async function elderInScope(deps: Deps, principal: Principal, personId: string): Promise<repo.Elder> {
  refuseWriteOnlyKey(principal);
  const elder = await repo.findElder(deps.reader, personId);
  if (!elder || !(await maySee(deps, principal, personId, elder.placement))) throw notFound('elder');
  return elder;
}

/**
 * Links a family member to an elder, with the elder's consent recorded (by the village or the
 * health centre that took it): the family member then sees that elder's readings and alarms, and
 * nothing of anyone else.
 */
export async function linkFamily(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  elderPersonId: string,
  input: { userId: string; consent: boolean },
): Promise<void> {
  const elder = await elderInScope(deps, principal, elderPersonId);
  authorize(principal, 'care.manage', elder.placement, 'elder');
  if (!input.consent) throw new AppError('consent_required');
  // A withdrawn family-access consent (PIPL art. 15) is given again through /api/privacy, not by a new link.
  if ((await withdrawnAmong(deps, [elderPersonId], 'familyAccess')).size > 0) throw new AppError('consent_withdrawn');
  const user = await deps.reader.selectFrom('users').select('id').where('id', '=', input.userId).executeTakeFirst();
  if (!user) throw notFound('user');
  await deps.db.transaction().execute(async (trx) => {
    const now = deps.now();
    await repo.linkFamily(trx, { elderPersonId, userId: input.userId, linkedBy: principal.userId }, now);
    await recordAudit(
      trx,
      actor,
      {
        action: 'care.family.link',
        targetType: 'person',
        targetId: elderPersonId,
        regionId: elder.placement.regionId,
        details: { userId: input.userId },
      },
      now,
    );
  });
}

/** Marks a registered person as an elder in care (or updates the record), with contacts and carers. */
export async function saveElder(deps: Deps, principal: Principal, actor: Actor, input: ElderInput): Promise<repo.Elder> {
  const person = await getPerson(deps, principal, input.personId);
  authorize(principal, 'care.manage', person.placement, 'person');
  await deps.db.transaction().execute(async (trx) => {
    const now = deps.now();
    await repo.upsertElder(
      trx,
      {
        personId: person.id,
        householdId: person.householdId,
        livingSituation: input.livingSituation,
        conditions: input.conditions,
        contacts: input.contacts,
        doctorUserId: input.doctorUserId ?? null,
        caretakerUserId: input.caretakerUserId ?? null,
        presence: input.presence ?? 'home',
        placement: person.placement,
      },
      now,
    );
    await recordAudit(
      trx,
      actor,
      { action: 'care.elder.save', targetType: 'person', targetId: person.id, regionId: person.placement.regionId },
      now,
    );
  });
  forgetDevices(deps);
  return (await repo.findElder(deps.db, person.id)) as repo.Elder;
}

/** The elders in care the principal may see (their records carry conditions and contacts), audited. */
export async function listElders(deps: Deps, principal: Principal, actor: Actor, filter: { mine?: boolean } = {}): Promise<repo.Elder[]> {
  refuseWriteOnlyKey(principal);
  const all = await repo.listElders(
    deps.reader,
    scopeFor(principal, 'care.read'),
    await repo.linkedElderIds(deps.reader, principal.userId),
  );
  const elders = filter.mine ? all.filter((e) => e.doctorUserId === principal.userId || e.caretakerUserId === principal.userId) : all;
  await auditRead(deps, actor, 'care.elders.read', { targetType: 'elder', details: { count: elders.length } });
  return elders;
}

/** One elder's record, audited. */
export async function readElder(deps: Deps, principal: Principal, actor: Actor, personId: string): Promise<repo.Elder> {
  const elder = await elderInScope(deps, principal, personId);
  await auditRead(deps, actor, 'care.elder.read', { elder });
  return elder;
}

/** The devices a gateway speaks for: those of the elders in its township. */
export async function gatewayDevices(deps: Deps, gateway: Principal): Promise<{ serial: string; kind: string }[]> {
  return repo.listDevicesIn(deps.reader, scopeFor(gateway, 'care.ingest'));
}

/** An elder's hourly or daily roll-ups since a moment, audited as a read of health data. */
export async function elderTrends(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  personId: string,
  query: { period: 'hour' | 'day'; since: number; kinds?: string[] },
): Promise<Trend[]> {
  const elder = await elderInScope(deps, principal, personId);
  const trends = await listTrends(deps.reader, personId, query.period, query.since, query.kinds);
  await auditRead(deps, actor, 'care.trends.read', { elder });
  return trends;
}

export async function registerDevice(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  input: { serial: string; kind: string; elderPersonId: string },
): Promise<{ device: repo.Device; key: string }> {
  const elder = await elderInScope(deps, principal, input.elderPersonId);
  authorize(principal, 'care.manage', elder.placement, 'elder');
  const id = uuidv7(deps.now());
  // The device's own key, shown once: the installer puts it on the device.
  const { key, hash } = newDeviceKey();
  await deps.db
    .transaction()
    .execute(async (trx) => {
      const now = deps.now();
      await repo.insertDevice(trx, { id, serial: input.serial, kind: input.kind, elderPersonId: elder.personId, keyHash: hash }, now);
      await recordAudit(
        trx,
        actor,
        { action: 'care.device.register', targetType: 'device', targetId: id, regionId: elder.placement.regionId },
        now,
      );
    })
    .catch((error: unknown) => {
      if (isUniqueViolation(error)) throw new AppError('serial_taken');
      throw error;
    });
  forgetDevices(deps);
  // A new device has reported nothing yet: no battery, never seen.
  const device: repo.Device = {
    id,
    serial: input.serial,
    kind: input.kind,
    elderPersonId: elder.personId,
    battery: null,
    lastSeenAt: null,
  };
  return { device, key };
}

/** An elder's devices with battery and last-seen time (when the elder was last heard of), audited. */
export async function devicesOf(deps: Deps, principal: Principal, actor: Actor, personId: string): Promise<repo.Device[]> {
  const elder = await elderInScope(deps, principal, personId);
  await flushLastSeen(deps);
  const devices = await repo.listDevicesOf(deps.reader, personId);
  await auditRead(deps, actor, 'care.devices.read', { elder });
  return devices;
}

// The effective rules of an elder, worked out once per loaded elder record.
const rulesCache = new WeakMap<repo.Elder, ReturnType<typeof effectiveRules>>();
function rulesOf(elder: repo.Elder) {
  let rules = rulesCache.get(elder);
  if (!rules) {
    rules = effectiveRules(elder.rules);
    rulesCache.set(elder, rules);
  }
  return rules;
}

export type AlarmRule = { cause: Cause; limit: number; forMinutes: number; enabled: boolean; own: boolean };

/** The alarm rules of an elder as they apply: each county default, with the elder's own changes marked. */
export function alarmRulesOf(deps: Deps, elder: repo.Elder): AlarmRule[] {
  const own = elder.rules ?? {};
  const county: AlarmRule[] = [
    ...THRESHOLDS.map((t) => ({ cause: t.cause, limit: (t.above ?? t.below) as number, forMinutes: t.forMs / 60_000 })),
    { cause: 'lowBattery' as const, limit: 15, forMinutes: 0 },
    { cause: 'inactivity' as const, limit: deps.config.inactivityHours, forMinutes: 0 },
  ].map((rule) => ({ ...rule, enabled: true, own: false }));
  return county.map((rule) => {
    const change = own[rule.cause];
    if (!change) return rule;
    return { ...rule, ...change, own: true };
  });
}

/** An elder's own alarm limits tell of their conditions: read like the rest of their health data, audited. */
export async function getAlarmRules(deps: Deps, principal: Principal, actor: Actor, personId: string): Promise<AlarmRule[]> {
  const elder = await elderInScope(deps, principal, personId);
  await auditRead(deps, actor, 'care.rules.read', { elder });
  return alarmRulesOf(deps, elder);
}

/**
 * Sets an elder's own alarm rules (the doctor's call: a higher blood-pressure limit for a known
 * hypertensive, inactivity switched off for a bedridden elder with a live-in carer). Causes not
 * named keep the county default. Applies to readings from now on.
 */
export async function setAlarmRules(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  personId: string,
  changes: ({ cause: string } & RuleOverride)[],
): Promise<AlarmRule[]> {
  const elder = await elderInScope(deps, principal, personId);
  authorize(principal, 'care.manage', elder.placement, 'elder');
  const rules: ElderRules = {};
  for (const change of changes) {
    const cause = change.cause as Cause;
    if (!(TUNABLE_CAUSES as readonly string[]).includes(cause)) throw new AppError('validation_failed', {}, { field: 'cause', cause });
    const range = LIMIT_RANGES[cause];
    if (change.limit !== undefined && range && (change.limit < range[0] || change.limit > range[1])) {
      throw new AppError('rule_limit_out_of_range', {}, { cause, min: range[0], max: range[1] });
    }
    if (rules[cause]) throw new AppError('validation_failed', {}, { field: 'cause', cause, problem: 'named twice' });
    rules[cause] = {
      ...(change.limit !== undefined && { limit: change.limit }),
      ...(change.forMinutes !== undefined && { forMinutes: change.forMinutes }),
      ...(change.enabled !== undefined && { enabled: change.enabled }),
    };
  }
  const stored = Object.keys(rules).length > 0 ? rules : null;
  const hours = stored?.inactivity ? inactivityHoursOf(stored, deps.config.inactivityHours) : null;
  await deps.db.transaction().execute(async (trx) => {
    const now = deps.now();
    await repo.setElderRules(trx, personId, stored, hours, now);
    await recordAudit(
      trx,
      actor,
      {
        action: 'care.rules.set',
        targetType: 'person',
        targetId: personId,
        regionId: elder.placement.regionId,
        details: { rules: stored },
      },
      now,
    );
  });
  forgetDevices(deps);
  return alarmRulesOf(deps, { ...elder, rules: stored });
}

export type IncomingReading = {
  device: string;
  /** The device's own id for the reading; without one, the time is the key. */
  id?: string;
  kind: ReadingKind;
  value?: number;
  value2?: number;
  at: string;
};

/** `alarms`: the alarms this batch raised or repeated, as they stand after it. */
export type BatchResult = { accepted: number; duplicates: number; rejected: { index: number; code: string }[]; alarms: repo.Alarm[] };

/**
 * A batch from a gateway or a device: unknown devices, devices the source may not speak for, readings from the
 * future and absurd values are refused one by one (reported by index); the rest are stored once
 * each and evaluated in one transaction.
 */
/**
 * Devices and their elders as ingestion sees them, kept for DEVICE_CACHE_MS per database handle:
 * a gateway sends for the same devices all day. Registering a device, saving an elder or changing
 * their rules clears this process's cache at once; other processes see it within the TTL.
 */
const DEVICE_CACHE_MS = 30_000;
type Resolved = { device: repo.Device; elder: repo.Elder | undefined } | null;
const deviceCaches = new WeakMap<Deps['db'], Map<string, { value: Resolved; until: number }>>();

function deviceCache(deps: Deps) {
  let cache = deviceCaches.get(deps.db);
  if (!cache) {
    cache = new Map();
    deviceCaches.set(deps.db, cache);
  }
  return cache;
}

export function forgetDevices(deps: Deps): void {
  deviceCache(deps).clear();
}

async function resolveDevices(deps: Deps, readings: { device: string }[]) {
  const cache = deviceCache(deps);
  const now = Date.now();
  const devices = new Map<string, repo.Device>();
  const elders = new Map<string, repo.Elder>();
  const missing = new Set<string>();
  for (const { device: serial } of readings) {
    const hit = cache.get(serial);
    if (!hit || hit.until < now) {
      missing.add(serial);
      continue;
    }
    if (!hit.value) continue;
    devices.set(serial, hit.value.device);
    if (hit.value.elder) elders.set(hit.value.elder.personId, hit.value.elder);
  }
  if (missing.size > 0) {
    const found = await repo.findDevicesBySerial(deps.reader, [...missing]);
    const foundElders = await repo.findElders(deps.reader, [
      ...new Set([...found.values()].map((d) => d.elderPersonId).filter((id): id is string => id !== null)),
    ]);
    if (cache.size > 100_000) cache.clear();
    for (const serial of missing) {
      const device = found.get(serial);
      const elder = device?.elderPersonId ? foundElders.get(device.elderPersonId) : undefined;
      cache.set(serial, { value: device ? { device, elder } : null, until: now + DEVICE_CACHE_MS });
      if (device) devices.set(serial, device);
      if (elder) elders.set(elder.personId, elder);
    }
  }
  return { devices, elders };
}

/**
 * Devices' last-seen times are noted in memory as readings arrive and written every few seconds
 * (and before anything reads them here): a busy gateway would otherwise rewrite thousands of device
 * rows scattered over the table with every commit. A crash loses at most those seconds of
 * "last seen", never a reading.
 */
const lastSeenMaps = new WeakMap<Deps['db'], Map<string, number>>();

function lastSeenOf(deps: Deps): Map<string, number> {
  let seen = lastSeenMaps.get(deps.db);
  if (!seen) {
    seen = new Map();
    lastSeenMaps.set(deps.db, seen);
  }
  return seen;
}

/** Writes the last-seen times noted since the last call. */
export async function flushLastSeen(deps: Deps): Promise<number> {
  const seen = lastSeenOf(deps);
  if (seen.size === 0) return 0;
  const pending = new Map(seen);
  seen.clear();
  try {
    await deps.db.transaction().execute((trx) => repo.touchDevices(trx, pending));
  } catch (error) {
    // Put them back for the next try (keeping any newer time noted meanwhile).
    for (const [id, at] of pending) seen.set(id, Math.max(seen.get(id) ?? 0, at));
    throw error;
  }
  return pending.size;
}

/** Who sends readings: a gateway for the elders of its township, or one device for itself. */
export type ReadingSource = { mayIngest(device: repo.Device, elder: repo.Elder): boolean };

export const gatewaySource = (gateway: Principal): ReadingSource => ({
  mayIngest: (_device, elder) => allows(gateway, 'care.ingest', elder.placement),
});

export const deviceSource = (own: { id: string }): ReadingSource => ({ mayIngest: (device) => device.id === own.id });

export async function ingest(deps: Deps, source: ReadingSource, readings: IncomingReading[]): Promise<BatchResult> {
  const now = deps.now();
  const { devices, elders } = await resolveDevices(deps, readings);
  const rejected: BatchResult['rejected'] = [];
  const valid: Checked[] = [];
  for (const [index, incoming] of readings.entries()) {
    const device = devices.get(incoming.device);
    if (!device?.elderPersonId) {
      rejected.push({ index, code: 'unknown_device' });
      continue;
    }
    const elder = elders.get(device.elderPersonId);
    if (!elder || !source.mayIngest(device, elder)) {
      rejected.push({ index, code: 'not_in_scope' });
      continue;
    }
    const reading = readingOf(incoming, now);
    if (typeof reading === 'string') {
      rejected.push({ index, code: reading });
      continue;
    }
    valid.push({ deviceId: device.id, device, elder, reading, key: incoming.id ?? `${incoming.kind}@${reading.at}`, index });
  }
  // PIPL art. 15: once the elder withdraws health-data consent nothing more is stored or alarmed.
  const withdrawn = await withdrawnAmong(deps, [...new Set(valid.map((v) => v.elder.personId))], 'healthData');
  for (const v of valid) if (withdrawn.has(v.elder.personId)) rejected.push({ index: v.index as number, code: 'consent_withdrawn' });
  rejected.sort((a, b) => a.index - b.index);
  const allowed = valid.filter((v) => !withdrawn.has(v.elder.personId));
  const { accepted, alarms } = await store(deps, allowed, now);
  return { accepted, duplicates: allowed.length - accepted, rejected, alarms };
}

/** A reading as sent, checked: when it happened and whether its values are plausible, or why not. */
function readingOf(incoming: Omit<IncomingReading, 'device'>, now: number): Reading | string {
  const reading: Reading = {
    kind: incoming.kind,
    value1: incoming.value ?? null,
    value2: incoming.value2 ?? null,
    at: Date.parse(incoming.at),
  };
  return (Number.isNaN(reading.at) ? 'bad_time' : checkReading(reading, now)) ?? reading;
}

/** A checked reading about an elder, from a registered device or (device undefined) from a record system. */
type Checked = { deviceId: string; device?: repo.Device; elder: repo.Elder; reading: Reading; key: string; index?: number };

/**
 * Stores checked readings once each (by device id and reading key) and runs the new ones through the
 * elders' alarm rules, in one commit shared with the batches arriving together; the alarms raised
 * or repeated go out live. Returns how many were new and those alarms.
 */
async function store(deps: Deps, valid: Checked[], now: number): Promise<{ accepted: number; alarms: repo.Alarm[] }> {
  const raised: repo.Alarm[] = [];
  let accepted = 0;
  const seen = lastSeenOf(deps);
  // Batches that arrive together share one commit (each in its own savepoint).
  await groupCommitFor(deps.db).run(async (trx) => {
    // The batch in a few statements: one insert of all readings, one update of the devices' last-seen
    // times, one look at the breaches under way; per reading only what its rules change.
    const rows = valid.map(({ deviceId, elder, reading, key }) => ({
      id: uuidv7(now),
      deviceId,
      readingKey: key,
      elderPersonId: elder.personId,
      ...reading,
    }));
    const fresh = await repo.insertReadings(trx, rows, now);
    accepted = fresh.size;
    const lastActive = new Map<string, number>();
    for (const [index, { device, elder, reading }] of valid.entries()) {
      if (!fresh.has((rows[index] as repo.NewReading).id)) continue;
      if (device) seen.set(device.id, Math.max(seen.get(device.id) ?? 0, reading.at));
      if (isActivity(reading)) lastActive.set(elder.personId, Math.max(lastActive.get(elder.personId) ?? 0, reading.at));
    }
    await repo.markActivities(trx, lastActive);
    const breaches = await repo.openBreaches(trx, [...new Set(valid.map((v) => v.elder.personId))]);
    for (const [index, { device, elder, reading }] of valid.entries()) {
      if (!fresh.has((rows[index] as repo.NewReading).id)) continue;
      if (reading.kind === 'battery' && device) await repo.touchDevice(trx, device.id, reading.at, reading.value1);
      for (const effect of effectsOf(reading, rulesOf(elder))) {
        if (effect.type === 'clear') {
          if (breaches.delete(`${elder.personId}|${effect.cause}`)) await repo.clearBreach(trx, elder.personId, effect.cause);
        } else if (effect.type === 'cancelFall') await repo.cancelPendingFall(trx, elder.personId, reading.at);
        else if (effect.type === 'pendingFall') {
          const dueAt = reading.at + deps.config.fallOkSeconds * 1000;
          const state = deps.config.fallOkSeconds === 0 ? 'raised' : 'pending';
          const result = await repo.raiseAlarm(trx, {
            id: uuidv7(now),
            elder,
            cause: 'fall',
            severity: SEVERITY.fall,
            state,
            value: null,
            at: reading.at,
            dueAt,
          });
          if (result.alarm.state === 'raised') raised.push(result.alarm);
        } else {
          if (effect.type === 'breach') {
            breaches.add(`${elder.personId}|${effect.cause}`);
            if (reading.at - (await repo.breachSince(trx, elder.personId, effect.cause, reading.at)) < effect.forMs) continue;
          }
          const result = await repo.raiseAlarm(trx, {
            id: uuidv7(now),
            elder,
            cause: effect.cause,
            severity: SEVERITY[effect.cause],
            state: 'raised',
            value: effect.value,
            at: reading.at,
            dueAt: null,
          });
          // New or repeated, the alarm goes out live: duty screens show the count rising.
          raised.push(result.alarm);
        }
      }
    }
  });
  // One event per alarm, in its final state for this batch.
  const latest = [...new Map(raised.map((a) => [a.id, a])).values()];
  for (const alarm of latest) await publishAlarm(deps, alarm);
  return { accepted, alarms: latest };
}

/** One observation of an elder, as a FHIR Observation brings it: with the device that measured it or without. */
export type PatientReading = Omit<IncomingReading, 'device' | 'id'> & {
  /** The device's serial; absent when a record system (a health centre's) sends what a person measured. */
  device?: string;
  /** The sender's identifier of the observation (system|value): a repeat of it is stored once. */
  key?: string;
};

export type PatientIngestResult = { readingId: string; created: boolean } | { rejected: string };

/**
 * Takes one observation of a patient in the sender's scope (care.ingest) and puts it through the same
 * checks, storage and alarm rules as a gateway batch. With a device it joins that device's readings
 * (the device must be the patient's); without one it is kept under the patient's record-system
 * readings, keyed by the sender's identifier (or kind and time) so that a repeat is stored once.
 * An unknown patient, a patient out of scope and a device not theirs are refused alike, so that
 * refusals reveal nothing of other townships.
 */
export async function ingestForPatient(
  deps: Deps,
  sender: Principal,
  personId: string,
  incoming: PatientReading,
): Promise<PatientIngestResult> {
  const now = deps.now();
  const elder = await repo.findElder(deps.reader, personId);
  if (!elder || !allows(sender, 'care.ingest', elder.placement)) return { rejected: 'not_in_scope' };
  let device: repo.Device | undefined;
  if (incoming.device !== undefined) {
    device = (await resolveDevices(deps, [{ device: incoming.device }])).devices.get(incoming.device);
    if (!device || device.elderPersonId !== personId) return { rejected: 'not_in_scope' };
  }
  const reading = readingOf(incoming, now);
  if (typeof reading === 'string') return { rejected: reading };
  // Readings without a device share a device id per patient: the unique (device, key) keeps a
  // sender's repeat out while two patients' identical keys stay apart.
  const deviceId = device?.id ?? `record:${personId}`;
  const key = incoming.key ?? `${incoming.kind}@${reading.at}`;
  if ((await withdrawnAmong(deps, [personId], 'healthData')).size > 0) throw new AppError('consent_withdrawn');
  const { accepted } = await store(deps, [{ deviceId, device, elder, reading, key }], now);
  const readingId = await repo.findReadingId(deps.db, deviceId, key);
  return { readingId: readingId as string, created: accepted > 0 };
}

async function publishAlarm(deps: Deps, alarm: repo.Alarm): Promise<void> {
  const family = await repo.familyOf(deps.reader, alarm.elderPersonId);
  deps.events.publish({
    type: 'alarm',
    permission: 'care.read',
    placement: alarm.placement,
    users: family,
    data: alarm,
    audit: { action: 'care.alarm.read', targetType: 'alarm', targetId: alarm.id, regionId: alarm.placement.regionId },
  });
}

/** Falls nobody cancelled with "I'm OK" within the window go out. */
export async function promoteDueFalls(deps: Deps): Promise<repo.Alarm[]> {
  const raised = await deps.db.transaction().execute((trx) => repo.promoteDueFalls(trx, deps.now()));
  for (const alarm of raised) await publishAlarm(deps, alarm);
  return raised;
}

/** Elders at home with no activity of their own for the configured hours. */
export async function checkInactivity(deps: Deps): Promise<repo.Alarm[]> {
  const now = deps.now();
  return raiseForEach(deps, await repo.listInactive(deps.reader, now, deps.config.inactivityHours), 'inactivity', now);
}

/** Raises the alarm of a cause found by a job for each elder (once while it is open), and sends the new ones out. */
async function raiseForEach(deps: Deps, found: repo.Elder[], cause: Cause, now: number): Promise<repo.Alarm[]> {
  const raised: repo.Alarm[] = [];
  // Readings stop with a withdrawn health-data consent: the silence that follows is no alarm.
  const withdrawn = await withdrawnAmong(
    deps,
    found.map((e) => e.personId),
    'healthData',
  );
  for (const elder of found.filter((e) => !withdrawn.has(e.personId))) {
    const result = await deps.db.transaction().execute((trx) =>
      repo.raiseAlarm(trx, {
        id: uuidv7(now),
        elder,
        cause,
        severity: SEVERITY[cause],
        state: 'raised',
        value: null,
        at: now,
        dueAt: null,
      }),
    );
    if (result.created) raised.push(result.alarm);
  }
  for (const alarm of raised) await publishAlarm(deps, alarm);
  return raised;
}

const CAUSE_NAMES: Record<Cause, [string, string]> = {
  sos: ['一键呼救', 'an SOS call'],
  fall: ['摔倒', 'a fall'],
  systolicHigh: ['血压过高', 'high blood pressure'],
  systolicLow: ['血压过低', 'low blood pressure'],
  heartHigh: ['心率过快', 'a fast heart rate'],
  heartLow: ['心率过慢', 'a slow heart rate'],
  glucoseLow: ['低血糖', 'low blood sugar'],
  glucoseHigh: ['血糖过高', 'high blood sugar'],
  inactivity: ['24小时无活动', 'no activity for a day'],
  lowBattery: ['设备电量低', 'a device low on battery'],
  deviceOffline: ['设备离线', 'a silent device'],
};

/**
 * Tells the next people along the chain of an alarm nobody has taken on: the family at once (by
 * text), then every ESCALATION_MINUTES the caretaker, the grid worker, the village cadres and the
 * doctor (in the app). Each step is taken once, under the alarm's version.
 */
export async function escalateAlarms(deps: Deps): Promise<number> {
  const now = deps.now();
  const due = await repo.listDueEscalations(deps.reader, now - deps.config.escalationMinutes * 60_000, ESCALATION_CHAIN.length);
  let told = 0;
  for (const alarm of due) {
    const elder = await repo.findElder(deps.reader, alarm.elderPersonId);
    if (!elder) continue;
    const step = ESCALATION_CHAIN[alarm.escalationStep] as (typeof ESCALATION_CHAIN)[number];
    const [zh, en] = CAUSE_NAMES[alarm.cause];
    const message = {
      topic: 'care.alarm',
      subjectType: 'careAlarm',
      subjectId: alarm.id,
      zh: `【关爱老人】${elder.name}出现${zh}预警，请尽快联系或上门查看。`,
      en: `[Elder care] ${elder.name} has ${en}; please call or visit as soon as you can.`,
    };
    const stepped = await deps.db.transaction().execute(async (trx) => {
      if (
        !(await repo.updateAlarmAtVersion(trx, alarm.id, alarm.version, { escalation_step: alarm.escalationStep + 1, escalated_at: now }))
      )
        return false;
      if (step === 'family') {
        for (const contact of elder.contacts) if (contact.phone) await notify(trx, { phone: contact.phone }, message, now);
      } else {
        const users =
          step === 'caretaker'
            ? [elder.caretakerUserId]
            : step === 'doctor' && elder.doctorUserId
              ? [elder.doctorUserId]
              : await repo.usersFor(trx, step, elder.placement);
        for (const userId of new Set(users)) if (userId) await notify(trx, { userId }, message, now);
      }
      return true;
    });
    if (stepped) told++;
  }
  return told;
}

/** Devices silent for DEVICE_OFFLINE_HOURS raise the device-offline alarm of their elder. */
export async function checkSilentDevices(deps: Deps): Promise<repo.Alarm[]> {
  await flushLastSeen(deps);
  const now = deps.now();
  const silent = await repo.listSilentDevices(deps.reader, now - deps.config.deviceOfflineHours * 3_600_000);
  const elders = await repo.findElders(deps.reader, [...new Set(silent.map((d) => d.elderPersonId))]);
  return raiseForEach(
    deps,
    [...elders.values()].filter((elder) => elder.presence === 'home'),
    'deviceOffline',
    now,
  );
}

export async function listAlarms(deps: Deps, principal: Principal, actor: Actor, query: { open?: boolean; elderPersonId?: string }) {
  refuseWriteOnlyKey(principal);
  const alarms = await repo.listAlarms(deps.reader, {
    scope: scopeFor(principal, 'care.read'),
    alsoPersonIds: await repo.linkedElderIds(deps.reader, principal.userId),
    ...query,
    limit: 200,
  });
  await auditRead(deps, actor, 'care.alarms.read', {
    targetType: 'elder',
    targetId: query.elderPersonId,
    details: { count: alarms.length },
  });
  return alarms;
}

/**
 * The alarms a batch raised, as its sender may see them: a device or a write-only gateway key
 * learns nothing of the elder's alarms (their state, repeats, who took them on); a sender that may
 * read care gets them, audited like any read of alarms.
 */
export async function batchAlarmsFor(deps: Deps, reader: Principal | undefined, actor: Actor, alarms: repo.Alarm[]): Promise<repo.Alarm[]> {
  const visible = reader ? alarms.filter((a) => allows(reader, 'care.read', a.placement)) : [];
  if (visible.length > 0) await auditRead(deps, actor, 'care.alarms.read', { targetType: 'elder', details: { count: visible.length } });
  return visible;
}

/** An elder's readings in a time window (`until` exclusive), audited. */
export async function elderReadings(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  personId: string,
  window: { since: number; until?: number; kinds?: string[] },
) {
  const elder = await elderInScope(deps, principal, personId);
  const rows = await repo.listReadings(deps.reader, personId, window);
  await auditRead(deps, actor, 'care.readings.read', { elder });
  return { elder, readings: rows };
}

/** One reading by its id, for those who may see its elder, audited. */
export async function readingById(deps: Deps, principal: Principal, actor: Actor, id: string) {
  refuseWriteOnlyKey(principal);
  const reading = await repo.findReading(deps.reader, id);
  const elder = reading && (await repo.findElder(deps.reader, reading.elder_person_id));
  if (!reading || !elder || !(await maySee(deps, principal, elder.personId, elder.placement))) throw notFound('reading');
  await auditRead(deps, actor, 'care.reading.read', { elder, details: { reading: id } });
  return { elder, reading };
}

/** Someone takes the alarm on; resolving it needs a note of what was done. */
export async function actOnAlarm(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  id: string,
  input: { action: 'acknowledge' | 'resolve'; note?: string },
): Promise<repo.Alarm> {
  const alarm = await repo.findAlarm(deps.reader, id);
  if (!alarm || !(await maySee(deps, principal, alarm.elderPersonId, alarm.placement))) throw notFound('alarm');
  if (input.action === 'resolve' && !input.note?.trim()) throw new AppError('alarm_note_required');
  const from = input.action === 'acknowledge' ? ['raised'] : ['raised', 'acknowledged'];
  const updated = await deps.db.transaction().execute(async (trx) => {
    const now = deps.now();
    const current = (await repo.findAlarm(trx, id)) as repo.Alarm;
    if (!from.includes(current.state)) throw new AppError('invalid_transition', {}, { state: current.state, action: input.action });
    const changes =
      input.action === 'acknowledge'
        ? { state: 'acknowledged', acknowledged_by: principal.userId, acknowledged_at: now }
        : { state: 'resolved', resolved_by: principal.userId, resolved_at: now, note: input.note ?? null };
    if (!(await repo.updateAlarmAtVersion(trx, id, current.version, changes))) throw new AppError('case_busy');
    await recordAudit(
      trx,
      actor,
      { action: `care.alarm.${input.action}`, targetType: 'alarm', targetId: id, regionId: alarm.placement.regionId },
      now,
    );
    return (await repo.findAlarm(trx, id)) as repo.Alarm;
  });
  await publishAlarm(deps, updated);
  return updated;
}
