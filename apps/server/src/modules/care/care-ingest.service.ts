// Readings in: from gateways in batches (HTTP or MQTT), from one device with its own key, or one
// FHIR Observation at a time. Each is checked, stored once, and run through the elder's alarm rules
// in the same transaction; the alarms raised go out live. Reads of readings are audited here.
import { allows, type Principal } from '../../platform/access.ts';
import type { Actor } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { groupCommitFor } from '../../platform/group-commit.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { principalForApiKey } from '../auth/auth.service.ts';
import { withdrawnAmong } from '../privacy/privacy.service.ts';
import * as alarms from './care-alarms.repository.ts';
import { batchAlarmsFor, publishAlarm } from './care-alarms.service.ts';
import { auditRead } from './care-audit.ts';
import { actingAs, type Origin } from './care-callers.ts';
import { lastSeenOf, noteActivities, type RuledElder, resolveDevices, ruled } from './care-device-cache.ts';
import { type Device, touchDevice } from './care-devices.repository.ts';
import { findElder } from './care-elders.repository.ts';
import { deviceForKey, elderInScope, gatewayDevices, maySee, refuseWriteOnlyKey } from './care-elders.service.ts';
import * as repo from './care-ingest.repository.ts';
import { checkReading, deviceSends, effectsOf, isActivity, isUrgent, type Reading, type ReadingKind, SEVERITY } from './care-rules.ts';

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
export type BatchResult = { accepted: number; duplicates: number; rejected: { index: number; code: string }[]; alarms: alarms.Alarm[] };

/**
 * Who sends readings: a gateway for the elders of its township, or one device for itself.
 * `outOfScope`: what a reading for a device it may not speak for is answered. A device knows only
 * itself, so any other serial is unknown to it, registered or not: its key must not tell the
 * county's serials from made-up ones. A gateway is told `not_in_scope`, which helps its installer.
 */
export type ReadingSource = {
  mayIngest(device: Device, elder: RuledElder['elder']): boolean;
  outOfScope: 'not_in_scope' | 'unknown_device';
};

export const gatewaySource = (gateway: Principal): ReadingSource => ({
  mayIngest: (_device, elder) => allows(gateway, 'care.ingest', elder.placement),
  outOfScope: 'not_in_scope',
});

export const deviceSource = (own: { id: string }): ReadingSource => ({
  mayIngest: (device) => device.id === own.id,
  outOfScope: 'unknown_device',
});

/**
 * A batch from a gateway or a device: unknown devices, devices the source may not speak for, readings from the
 * future and absurd values are refused one by one (reported by index); the rest are stored once
 * each and evaluated in one transaction.
 */
export async function ingest(deps: Deps, source: ReadingSource, readings: IncomingReading[]): Promise<BatchResult> {
  const now = deps.now();
  const { devices, elders } = await resolveDevices(
    deps,
    readings.map((r) => r.device),
  );
  const rejected: BatchResult['rejected'] = [];
  const valid: Checked[] = [];
  for (const [index, incoming] of readings.entries()) {
    const device = devices.get(incoming.device);
    if (!device?.elderPersonId) {
      rejected.push({ index, code: 'unknown_device' });
      continue;
    }
    const elder = elders.get(device.elderPersonId);
    if (!elder || !source.mayIngest(device, elder.elder)) {
      rejected.push({ index, code: source.outOfScope });
      continue;
    }
    if (!deviceSends(device.kind, incoming.kind)) {
      rejected.push({ index, code: 'not_from_this_device' });
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
  const withdrawn = await withdrawnAmong(deps, [...new Set(valid.map((v) => v.elder.elder.personId))], 'healthData');
  for (const v of valid) if (withdrawn.has(v.elder.elder.personId)) rejected.push({ index: v.index as number, code: 'consent_withdrawn' });
  rejected.sort((a, b) => a.index - b.index);
  const allowed = valid.filter((v) => !withdrawn.has(v.elder.elder.personId));
  const { accepted, alarms: raised } = await store(deps, allowed, now);
  return { accepted, duplicates: allowed.length - accepted, rejected, alarms: raised };
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

/**
 * A batch sent with a key: a gateway's (for the elders of its township) or one device's own (for
 * itself). Only a gateway the county granted care.read learns the alarms the batch raised.
 */
export async function receiveBatch(deps: Deps, key: string, readings: IncomingReading[], origin: Origin): Promise<BatchResult> {
  const gateway = key ? await principalForApiKey(deps, key, 'gateway') : undefined;
  const device = key && !gateway ? await deviceForKey(deps, key) : undefined;
  if (!gateway && !device) throw new AppError('not_authenticated');
  const source = gateway ? gatewaySource(gateway) : deviceSource(device as Device);
  const result = await ingest(deps, source, readings);
  const visible = gateway ? await batchAlarmsFor(deps, gateway, actingAs(gateway, origin), result.alarms) : [];
  return { ...result, alarms: visible };
}

/** The devices the gateway with this key speaks for. */
export async function devicesForGatewayKey(deps: Deps, key: string): Promise<{ serial: string; kind: string }[]> {
  const gateway = key ? await principalForApiKey(deps, key, 'gateway') : undefined;
  if (!gateway) throw new AppError('not_authenticated');
  return gatewayDevices(deps, gateway);
}

/** A checked reading about an elder, from a registered device or (device undefined) from a record system. */
type Checked = { deviceId: string; device?: Device; elder: RuledElder; reading: Reading; key: string; index?: number };

/**
 * Stores checked readings once each (by device id and reading key) and runs the new ones through the
 * elders' alarm rules, in one commit shared with the batches arriving together; the alarms raised
 * or repeated go out live. Returns how many were new and those alarms.
 */
async function store(deps: Deps, valid: Checked[], now: number): Promise<{ accepted: number; alarms: alarms.Alarm[] }> {
  const raised: alarms.Alarm[] = [];
  let accepted = 0;
  const seen = lastSeenOf(deps);
  // The elders' last activity, noted once the batch is committed (written every few seconds).
  const lastActive = new Map<string, number>();
  // Batches that arrive together share one commit (each in its own savepoint); an SOS or a fall does
  // not wait behind the heartbeats queued before it.
  const urgent = valid.some((v) => isUrgent(v.reading));
  // One event per alarm, in its final state for this batch.
  const latest = () => [...new Map(raised.map((a) => [a.id, a])).values()];
  const announce = async () => {
    for (const alarm of latest()) await publishAlarm(deps, alarm);
  };
  // A call for help or a fall is told to the duty screens and the family as soon as it is committed,
  // without waiting for the disk's flush (p99 ~30 ms while ingesting on a 2-core machine's disk): it
  // happened, whatever becomes of the row. The gateway's answer still waits for the flush, so a crash
  // in between loses no SOS: unanswered, the gateway sends it again and it is stored then.
  let announced: Promise<void> | undefined;
  const announceNow = () => {
    announced = announce();
    // Its failure is the batch's to report, after the flush (as before): not an unhandled rejection meanwhile.
    announced.catch(() => {});
  };
  await groupCommitFor(deps.db).run(
    async (trx) => {
      // The batch in a few statements: one insert of all readings, one look at the breaches under
      // way; per reading only what its rules change. Devices' last-seen times and elders' last
      // activity are noted in memory and written every few seconds (care-device-cache.ts).
      const rows = valid.map(({ deviceId, elder, reading, key }) => ({
        id: uuidv7(now),
        deviceId,
        readingKey: key,
        elderPersonId: elder.elder.personId,
        kind: reading.kind,
        value1: reading.value1,
        value2: reading.value2,
        at: reading.at,
      }));
      const fresh = await repo.insertReadings(trx, rows, now);
      accepted = fresh.count;
      for (const [index, { device, elder, reading }] of valid.entries()) {
        if (!fresh.isNew((rows[index] as repo.NewReading).id)) continue;
        const personId = elder.elder.personId;
        // A device's clock a few minutes ahead (allowed, checkReading) does not put "last seen" or
        // "last active" in the future: it happened by now at the latest.
        const happened = Math.min(reading.at, now);
        if (device) seen.set(device.id, Math.max(seen.get(device.id) ?? 0, happened));
        if (isActivity(reading)) lastActive.set(personId, Math.max(lastActive.get(personId) ?? 0, happened));
      }
      const breaches = await repo.openBreaches(trx, [...new Set(valid.map((v) => v.elder.elder.personId))]);
      for (const [index, { device, elder: ruledElder, reading }] of valid.entries()) {
        if (!fresh.isNew((rows[index] as repo.NewReading).id)) continue;
        const { elder, rules } = ruledElder;
        if (reading.kind === 'battery' && device) await touchDevice(trx, device.id, Math.min(reading.at, now), reading.value1);
        for (const effect of effectsOf(reading, rules)) {
          if (effect.type === 'clear') {
            // Most readings clear what is not under way: no key is made for them.
            if (breaches.size > 0 && breaches.delete(`${elder.personId}|${effect.cause}`))
              await repo.clearBreach(trx, elder.personId, effect.cause);
          } else if (effect.type === 'cancelFall') await alarms.cancelPendingFall(trx, elder.personId, reading.at);
          else if (effect.type === 'pendingFall') {
            const dueAt = reading.at + deps.config.fallOkSeconds * 1000;
            const state = deps.config.fallOkSeconds === 0 ? 'raised' : 'pending';
            const result = await alarms.raiseAlarm(trx, {
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
            const result = await alarms.raiseAlarm(trx, {
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
    },
    { urgent, committed: urgent ? announceNow : undefined },
  );
  noteActivities(deps, lastActive);
  await (announced ?? announce());
  return { accepted, alarms: latest() };
}

/** One observation of an elder, as a FHIR Observation brings it: with the device that measured it or without. */
export type PatientReading = Omit<IncomingReading, 'device' | 'id'> & {
  /** The device's serial; absent when a record system (a health centre's) sends what a person measured. */
  device?: string;
  /** The sender's identifier of the observation (system|value): a repeat of it is stored once. */
  key?: string;
};

export type PatientIngestResult = { reading: repo.StoredReading; created: boolean } | { rejected: string };

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
  const elder = await findElder(deps.reader, personId);
  if (!elder || !allows(sender, 'care.ingest', elder.placement)) return { rejected: 'not_in_scope' };
  let device: Device | undefined;
  if (incoming.device !== undefined) {
    device = (await resolveDevices(deps, [incoming.device])).devices.get(incoming.device);
    if (!device || device.elderPersonId !== personId) return { rejected: 'not_in_scope' };
    if (!deviceSends(device.kind, incoming.kind)) return { rejected: 'not_from_this_device' };
  }
  const reading = readingOf(incoming, now);
  if (typeof reading === 'string') return { rejected: reading };
  // Readings without a device share a device id per patient: the unique (device, key) keeps a
  // sender's repeat out while two patients' identical keys stay apart.
  const deviceId = device?.id ?? `record:${personId}`;
  const key = incoming.key ?? `${incoming.kind}@${reading.at}`;
  if ((await withdrawnAmong(deps, [personId], 'healthData')).size > 0) throw new AppError('consent_withdrawn');
  const { accepted } = await store(deps, [{ deviceId, device, elder: ruled(elder), reading, key }], now);
  // Answered with the reading as stored: a repeat carrying other values changed nothing, and its
  // sender must not be told otherwise (attacker).
  const readingId = await repo.findReadingId(deps.db, deviceId, key);
  const stored = readingId && (await repo.findReading(deps.db, readingId));
  if (!stored) throw notFound('reading');
  return { reading: stored, created: accepted > 0 };
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
  const readings = await repo.listReadings(deps.reader, personId, window);
  await auditRead(deps, actor, 'care.readings.read', { elder });
  return { elder, readings };
}

/** One reading by its id, for those who may see its elder, audited. */
export async function readingById(deps: Deps, principal: Principal, actor: Actor, id: string) {
  refuseWriteOnlyKey(principal);
  const reading = await repo.findReading(deps.reader, id);
  const elder = reading && (await findElder(deps.reader, reading.elderPersonId));
  if (!reading || !elder || !(await maySee(deps, principal, elder.personId, elder.placement))) throw notFound('reading');
  await auditRead(deps, actor, 'care.reading.read', { elder, details: { reading: id } });
  return { elder, reading };
}
