// The devices ingestion sees all day, and their last-seen times, held per process in Deps
// (platform/process-cache.ts). A gateway sends for the same devices all day: looking each device and
// its elder up on every batch cost more than storing the readings.
import type { Deps } from '../../platform/deps.ts';
import { inSharedCommit } from '../../platform/group-commit.ts';
import { processCache } from '../../platform/process-cache.ts';
import * as devices from './care-devices.repository.ts';
import * as elders from './care-elders.repository.ts';
import { type EffectiveRules, effectiveRules } from './care-rules.ts';

/**
 * Kept for DEVICE_CACHE_MS. Registering a device, saving an elder or changing their rules clears
 * this process's cache at once; other processes see it within the TTL.
 */
const DEVICE_CACHE_MS = 30_000;

/** An elder as ingestion needs them: the record and the alarm rules that apply, worked out once. */
export type RuledElder = { elder: elders.ElderRecord; rules: EffectiveRules };

type Resolved = { device: devices.Device; elder: RuledElder | undefined } | null;

const deviceCache = (deps: Deps) => processCache(deps, 'care.devices', () => new Map<string, { value: Resolved; until: number }>());

const regionIdsOf = (deps: Deps) => processCache(deps, 'care.devices.regionIds', () => new Map<string, string>());

export function forgetDevices(deps: Deps): void {
  deviceCache(deps).clear();
  regionIdsOf(deps).clear();
}

export const ruled = (elder: elders.ElderRecord): RuledElder => ({ elder, rules: effectiveRules(elder.rules) });

/** The same empty list for every cached elder without conditions or contacts (frozen: nothing adds to it). */
const NONE = Object.freeze([]) as unknown as never[];

/**
 * An elder as the cache keeps them, with what thousands of elders have in common stored once: the
 * region ids of their placements (a county has a few thousand regions, not one per elder), empty
 * lists, and the person id the device names. The bench's 10,000 elders took 9.3 to 10.4 MB of the
 * heap, 6.0 MB this way; the cache holds up to 100,000 devices.
 */
function compact(record: elders.ElderRecord, regionIds: Map<string, string>): elders.ElderRecord {
  const one = <T extends string | null>(id: T): T => {
    if (id === null) return id;
    const kept = regionIds.get(id);
    if (kept !== undefined) return kept as T;
    regionIds.set(id, id);
    return id;
  };
  const { placement } = record;
  return {
    ...record,
    conditions: record.conditions.length === 0 ? NONE : record.conditions,
    contacts: record.contacts.length === 0 ? NONE : record.contacts,
    placement: {
      ...placement,
      regionId: one(placement.regionId),
      villageId: one(placement.villageId),
      townshipId: one(placement.townshipId),
      countyId: one(placement.countyId),
    },
  };
}

/** The devices with these serials and their elders (by person id), from the cache where it holds them. */
export async function resolveDevices(deps: Deps, serials: Iterable<string>) {
  const cache = deviceCache(deps);
  const now = deps.now();
  const found = new Map<string, devices.Device>();
  const foundElders = new Map<string, RuledElder>();
  const missing = new Set<string>();
  for (const serial of serials) {
    const hit = cache.get(serial);
    if (!hit || hit.until < now) {
      missing.add(serial);
      continue;
    }
    if (!hit.value) continue;
    found.set(serial, hit.value.device);
    if (hit.value.elder) foundElders.set(hit.value.elder.elder.personId, hit.value.elder);
  }
  if (missing.size > 0) {
    const read = await devices.findDevicesBySerial(deps.reader, [...missing]);
    const readElders = await elders.findElders(deps.reader, [
      ...new Set([...read.values()].map((d) => d.elderPersonId).filter((id): id is string => id !== null)),
    ]);
    if (cache.size > 100_000) forgetDevices(deps);
    const regionIds = regionIdsOf(deps);
    for (const serial of missing) {
      const stored = read.get(serial);
      const record = stored?.elderPersonId ? readElders.get(stored.elderPersonId) : undefined;
      const elder = record && ruled(compact(record, regionIds));
      const device = stored && elder ? { ...stored, elderPersonId: elder.elder.personId } : stored;
      cache.set(serial, { value: device ? { device, elder } : null, until: now + DEVICE_CACHE_MS });
      if (device) found.set(serial, device);
      if (elder) foundElders.set(elder.elder.personId, elder);
    }
  }
  return { devices: found, elders: foundElders };
}

/**
 * Devices' last-seen times and elders' last activity are noted in memory as readings arrive and
 * written every few seconds (flushNotedTimes; and before the jobs that look for them in the database): a
 * busy gateway would otherwise rewrite thousands of device and elder rows scattered over their
 * tables with every commit. Measured, the elders' rows alone cost the batch path a fifth of its
 * throughput (the commit wrote most of care_elders' pages again). A crash loses at most those
 * seconds of "last seen" and "last active", never a reading: a 24-hour inactivity alarm comes at
 * most seconds early. Between flushes, what people are shown includes what was noted
 * (withNotedActivity, withNotedSeen).
 */
export const lastSeenOf = (deps: Deps) => processCache(deps, 'care.lastSeen', () => new Map<string, number>());

/** Elders' latest activity (person id to epoch ms) noted since the last flush. */
export const lastActiveOf = (deps: Deps) => processCache(deps, 'care.lastActive', () => new Map<string, number>());

/** Notes activities (person id to epoch ms) that have been committed, keeping the later of two times. */
export function noteActivities(deps: Deps, latest: Map<string, number>): void {
  keepLater(lastActiveOf(deps), latest);
}

/** Merges times into what is noted, keeping the later of two for each key. */
function keepLater(noted: Map<string, number>, latest: Map<string, number>): void {
  for (const [id, at] of latest) noted.set(id, Math.max(noted.get(id) ?? 0, at));
}

/** An elder's record with the activity noted in this process and not written yet. */
export function withNotedActivity<T extends elders.ElderRecord>(deps: Deps, elder: T): T {
  const noted = lastActiveOf(deps).get(elder.personId);
  return noted === undefined || noted <= (elder.lastActivityAt ?? 0) ? elder : { ...elder, lastActivityAt: noted };
}

/** A device with the last-seen time noted in this process and not written yet. */
export function withNotedSeen<T extends { id: string; lastSeenAt: number | null }>(deps: Deps, device: T): T {
  const noted = lastSeenOf(deps).get(device.id);
  return noted === undefined || noted <= (device.lastSeenAt ?? 0) ? device : { ...device, lastSeenAt: noted };
}

/** Five hundred to a write: each is a millisecond or two of the event loop, which an SOS does not wait behind for long. */
const FLUSH_PART = 500;

function parts<K, V>(map: Map<K, V>): Map<K, V>[] {
  const entries = [...map];
  return Array.from(
    { length: Math.ceil(entries.length / FLUSH_PART) },
    (_, i) => new Map(entries.slice(i * FLUSH_PART, (i + 1) * FLUSH_PART)),
  );
}

/**
 * Writes the last-seen times and last activities noted since the last call; returns how many. In
 * parts, each in a commit shared with the readings arriving meanwhile (flushed off the event loop
 * on SQLite): written as one transaction, 10,000 elders' and devices' rows held the event loop
 * for some 20 ms every five seconds, and the SOS arriving then waited for it.
 */
export async function flushNotedTimes(deps: Deps): Promise<number> {
  const seen = lastSeenOf(deps);
  const active = lastActiveOf(deps);
  if (seen.size === 0 && active.size === 0) return 0;
  const writes = [
    ...parts(seen).map((part) => ({ part, write: devices.touchDevices, putBack: () => keepLater(lastSeenOf(deps), part) })),
    ...parts(active).map((part) => ({ part, write: elders.markActivities, putBack: () => noteActivities(deps, part) })),
  ];
  seen.clear();
  active.clear();
  let written = 0;
  for (const [index, { part, write }] of writes.entries()) {
    try {
      await inSharedCommit(deps.db, (trx) => write(trx, part));
    } catch (error) {
      // Put this part and the rest back for the next try (keeping any newer time noted meanwhile).
      for (const rest of writes.slice(index)) rest.putBack();
      throw error;
    }
    written += part.size;
  }
  return written;
}
