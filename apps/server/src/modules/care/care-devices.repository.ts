// Devices (bracelets, SOS buttons, door sensors, speakers) and the elders they belong to.
import { type Kysely, sql } from 'kysely';
import type { CareDeviceTable, DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope-filter.ts';
import type { Scope } from '../../platform/access.ts';

export type Device = {
  id: string;
  serial: string;
  kind: string;
  elderPersonId: string | null;
  battery: number | null;
  lastSeenAt: number | null;
};

const toDevice = (r: Pick<CareDeviceTable, 'id' | 'serial' | 'kind' | 'elder_person_id' | 'battery' | 'last_seen_at'>): Device => ({
  id: r.id,
  serial: r.serial,
  kind: r.kind,
  elderPersonId: r.elder_person_id,
  battery: r.battery,
  lastSeenAt: r.last_seen_at,
});

export async function findDevicesBySerial(db: Kysely<DB>, serials: string[]): Promise<Map<string, Device>> {
  if (serials.length === 0) return new Map();
  const rows = await db.selectFrom('care_devices').selectAll().where('serial', 'in', serials).execute();
  return new Map(rows.map((r) => [r.serial, toDevice(r)]));
}

/** The device a key belongs to (a device's own key, stored as its hash). */
export async function findDeviceByKeyHash(db: Kysely<DB>, keyHash: string): Promise<Device | undefined> {
  const row = await db.selectFrom('care_devices').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
  return row && toDevice(row);
}

/** Registers a device; a new one has reported nothing yet: no battery, never seen. */
export async function insertDevice(
  db: Kysely<DB>,
  device: { id: string; serial: string; kind: string; elderPersonId: string | null; keyHash: string | null },
  now: number,
): Promise<Device> {
  const row = await db
    .insertInto('care_devices')
    .values({
      id: device.id,
      serial: device.serial,
      kind: device.kind,
      elder_person_id: device.elderPersonId,
      battery: null,
      last_seen_at: null,
      created_at: now,
      key_hash: device.keyHash,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toDevice(row);
}

export async function listDevicesOf(db: Kysely<DB>, personId: string): Promise<Device[]> {
  const rows = await db.selectFrom('care_devices').selectAll().where('elder_person_id', '=', personId).orderBy('serial').execute();
  return rows.map(toDevice);
}

/** The devices of the elders in a scope. */
export async function listDevicesIn(db: Kysely<DB>, scope: Scope): Promise<{ serial: string; kind: string }[]> {
  return db
    .selectFrom('care_devices as d')
    .innerJoin('care_elders as e', 'e.person_id', 'd.elder_person_id')
    .select(['d.serial', 'd.kind'])
    .where(inScope(scope, { table: 'e', householdColumn: 'household_id' }))
    .orderBy('d.serial')
    .execute();
}

/** The speakers of these elders. */
export async function speakersOf(db: Kysely<DB>, personIds: string[]): Promise<{ id: string; elderPersonId: string }[]> {
  const rows = await db
    .selectFrom('care_devices')
    .select(['id', 'elder_person_id'])
    .where('elder_person_id', 'in', personIds)
    .where('kind', '=', 'speaker')
    .execute();
  return rows.map((r) => ({ id: r.id, elderPersonId: r.elder_person_id as string }));
}

export async function touchDevice(db: Kysely<DB>, deviceId: string, at: number, battery: number | null): Promise<void> {
  await db
    .updateTable('care_devices')
    .set({
      last_seen_at: sql<number>`case when last_seen_at is null or last_seen_at < ${at} then ${at} else last_seen_at end`,
      ...(battery !== null && { battery }),
    })
    .where('id', '=', deviceId)
    .execute();
}

/** Moves each device's last-seen time forward to its latest reading, in one statement. */
export async function touchDevices(db: Kysely<DB>, latest: Map<string, number>): Promise<void> {
  if (latest.size === 0) return;
  const values = sql.join([...latest].map(([id, at]) => sql`(${id}, ${at})`));
  await sql`
    update care_devices set last_seen_at = cast(v.column2 as bigint)
    from (values ${values}) as v
    where care_devices.id = v.column1 and (care_devices.last_seen_at is null or care_devices.last_seen_at < cast(v.column2 as bigint))`.execute(
    db,
  );
}

/** Devices silent since `before`, with their elder. */
export async function listSilentDevices(
  db: Kysely<DB>,
  before: number,
): Promise<{ deviceId: string; serial: string; elderPersonId: string }[]> {
  const rows = await db
    .selectFrom('care_devices')
    .select(['id', 'serial', 'elder_person_id'])
    .where('elder_person_id', 'is not', null)
    .where('last_seen_at', '<', before)
    .execute();
  return rows.map((r) => ({ deviceId: r.id, serial: r.serial, elderPersonId: r.elder_person_id as string }));
}
