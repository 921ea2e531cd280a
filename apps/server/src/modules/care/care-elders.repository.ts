// Elders in care and the family members linked to them.
import { type Kysely, sql } from 'kysely';
import { placedColumns, placementOf } from '../../db/placement.ts';
import { lockedForUpdate } from '../../db/portable-sql.ts';
import type { CareElderTable, DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope-filter.ts';
import type { Placement, Scope } from '../../platform/access.ts';
import type { ElderRules } from './care-rules.ts';

/** An elder as care keeps them; their name is org's (see care-elders.service's withNames). */
export type ElderRecord = {
  personId: string;
  householdId: string | null;
  livingSituation: string;
  conditions: string[];
  contacts: { name: string; relation: string; phone: string }[];
  doctorUserId: string | null;
  caretakerUserId: string | null;
  presence: 'home' | 'away' | 'hospital';
  lastActivityAt: number | null;
  /** The elder's own changes to the county's alarm rules; null: the defaults. */
  rules: ElderRules | null;
  /** Null: the county's round intervals. */
  visitEveryDays: number | null;
  careRoundEveryDays: number | null;
  placement: Placement;
};

/** An elder with the name they are registered under, as care's screens and messages show them. */
export type Elder = ElderRecord & { name: string };

const toElder = (r: CareElderTable): ElderRecord => ({
  personId: r.person_id,
  householdId: r.household_id,
  livingSituation: r.living_situation,
  conditions: JSON.parse(r.conditions) as string[],
  contacts: JSON.parse(r.contacts) as ElderRecord['contacts'],
  doctorUserId: r.doctor_user_id,
  caretakerUserId: r.caretaker_user_id,
  presence: r.presence,
  lastActivityAt: r.last_activity_at,
  rules: r.alarm_rules === null ? null : (JSON.parse(r.alarm_rules) as ElderRules),
  visitEveryDays: r.visit_every_days,
  careRoundEveryDays: r.care_round_every_days,
  placement: placementOf(r, r.household_id),
});

const selectElders = (db: Kysely<DB>) => db.selectFrom('care_elders as e').selectAll('e');

export async function findElder(db: Kysely<DB>, personId: string): Promise<ElderRecord | undefined> {
  const row = await selectElders(db).where('e.person_id', '=', personId).executeTakeFirst();
  return row && toElder(row);
}

/**
 * Holds the elder's row until the transaction ends (PostgreSQL; SQLite's one writer already does), so
 * that two check-ins for the same elder at the same moment decide what the day still owes in turn.
 */
export async function lockElder(db: Kysely<DB>, personId: string): Promise<void> {
  await lockedForUpdate(db, db.selectFrom('care_elders').select('person_id').where('person_id', '=', personId)).execute();
}

export async function findElders(db: Kysely<DB>, personIds: string[]): Promise<Map<string, ElderRecord>> {
  const found = new Map<string, ElderRecord>();
  for (let start = 0; start < personIds.length; start += 500) {
    const rows = await selectElders(db)
      .where('e.person_id', 'in', personIds.slice(start, start + 500))
      .execute();
    for (const row of rows) found.set(row.person_id, toElder(row));
  }
  return found;
}

/** The households that have an elder in care. */
export async function householdsWithElders(db: Kysely<DB>): Promise<Set<string>> {
  const rows = await db.selectFrom('care_elders').select('household_id').where('household_id', 'is not', null).execute();
  return new Set(rows.map((r) => r.household_id as string));
}

/** Elders in the scope, and those named (a family member's linked elders), in no order. */
export async function listElders(db: Kysely<DB>, scope: Scope, alsoPersonIds: string[] = []): Promise<ElderRecord[]> {
  const rows = await selectElders(db)
    .where((eb) =>
      eb.or([
        inScope(scope, { table: 'e', householdColumn: 'household_id' }),
        ...(alsoPersonIds.length > 0 ? [eb('e.person_id', 'in', alsoPersonIds)] : []),
      ]),
    )
    .execute();
  return rows.map(toElder);
}

/** Takes a person into care, or updates their record; returns the record as stored. */
export async function upsertElder(
  db: Kysely<DB>,
  elder: Omit<ElderRecord, 'lastActivityAt' | 'rules' | 'visitEveryDays' | 'careRoundEveryDays'> &
    Partial<Pick<ElderRecord, 'visitEveryDays' | 'careRoundEveryDays'>>,
  now: number,
): Promise<ElderRecord> {
  const values = {
    household_id: elder.householdId,
    ...placedColumns(elder.placement),
    living_situation: elder.livingSituation,
    conditions: JSON.stringify(elder.conditions),
    contacts: JSON.stringify(elder.contacts),
    doctor_user_id: elder.doctorUserId,
    caretaker_user_id: elder.caretakerUserId,
    presence: elder.presence,
    ...(elder.visitEveryDays !== undefined && { visit_every_days: elder.visitEveryDays }),
    ...(elder.careRoundEveryDays !== undefined && { care_round_every_days: elder.careRoundEveryDays }),
    updated_at: now,
  };
  const row = await db
    .insertInto('care_elders')
    .values({ person_id: elder.personId, ...values, last_activity_at: now, created_at: now })
    .onConflict((oc) => oc.column('person_id').doUpdateSet(values))
    .returningAll()
    .executeTakeFirstOrThrow();
  return toElder(row);
}

/** The ids of the elders a user is the caretaker or the doctor of, in no order. */
/** Places a household's elders where the household now is; returns their person ids. */
export async function moveEldersOfHousehold(db: Kysely<DB>, householdId: string, placement: Placement, now: number): Promise<string[]> {
  const rows = await db
    .updateTable('care_elders')
    .set({ ...placedColumns(placement), updated_at: now })
    .where('household_id', '=', householdId)
    .returning('person_id')
    .execute();
  return rows.map((r) => r.person_id);
}

export async function eldersCaredBy(db: Kysely<DB>, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('care_elders as e')
    .select('e.person_id')
    .where((eb) => eb.or([eb('e.caretaker_user_id', '=', userId), eb('e.doctor_user_id', '=', userId)]))
    .execute();
  return rows.map((r) => r.person_id);
}

/** The ids of the elders at home with a caretaker: those who are owed rounds. */
export async function eldersOwedRounds(db: Kysely<DB>): Promise<string[]> {
  const rows = await db
    .selectFrom('care_elders')
    .select('person_id')
    .where('caretaker_user_id', 'is not', null)
    .where('presence', '=', 'home')
    .execute();
  return rows.map((r) => r.person_id);
}

export async function markActivity(db: Kysely<DB>, personId: string, at: number): Promise<void> {
  await db
    .updateTable('care_elders')
    .set({ last_activity_at: at })
    .where('person_id', '=', personId)
    .where((eb) => eb.or([eb('last_activity_at', 'is', null), eb('last_activity_at', '<', at)]))
    .execute();
}

/** Stores an elder's own alarm rules (and the inactivity hours they give, which the job reads in SQL). */
export async function setElderRules(
  db: Kysely<DB>,
  personId: string,
  rules: ElderRules | null,
  inactivityHours: number | null,
  now: number,
) {
  await db
    .updateTable('care_elders')
    .set({ alarm_rules: rules && JSON.stringify(rules), inactivity_hours: inactivityHours, updated_at: now })
    .where('person_id', '=', personId)
    .execute();
  // A breach under way was measured against the old rule.
  await db.deleteFrom('care_breaches').where('elder_person_id', '=', personId).execute();
}

/**
 * Elders at home with no activity of their own for their hours (their own rule, or the county's),
 * and no open inactivity alarm. An elder whose rule is switched off (0 hours) is never listed.
 */
export async function listInactive(db: Kysely<DB>, now: number, countyHours: number): Promise<ElderRecord[]> {
  const hours = sql<number>`coalesce(e.inactivity_hours, ${countyHours})`;
  const rows = await selectElders(db)
    .where('e.presence', '=', 'home')
    .where(hours, '>', 0)
    .where(sql<number>`e.last_activity_at + cast(${hours} as bigint) * 3600000`, '<', now)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('care_alarms as a')
            .select('a.id')
            .whereRef('a.elder_person_id', '=', 'e.person_id')
            .where('a.cause', '=', 'inactivity')
            .where('a.state', 'in', ['pending', 'raised', 'acknowledged']),
        ),
      ),
    )
    .execute();
  return rows.map(toElder);
}

export async function linkFamily(
  db: Kysely<DB>,
  link: { elderPersonId: string; userId: string; linkedBy: string },
  now: number,
): Promise<void> {
  await db
    .insertInto('care_family_links')
    .values({ elder_person_id: link.elderPersonId, user_id: link.userId, consent_at: now, linked_by: link.linkedBy })
    .onConflict((oc) => oc.columns(['elder_person_id', 'user_id']).doNothing())
    .execute();
}

/** The elders a family member is linked to. */
export async function linkedElderIds(db: Kysely<DB>, userId: string): Promise<string[]> {
  const rows = await db.selectFrom('care_family_links').select('elder_person_id').where('user_id', '=', userId).execute();
  return rows.map((r) => r.elder_person_id);
}

/** The family members linked to an elder. */
export async function familyOf(db: Kysely<DB>, elderPersonId: string): Promise<string[]> {
  const rows = await db.selectFrom('care_family_links').select('user_id').where('elder_person_id', '=', elderPersonId).execute();
  return rows.map((r) => r.user_id);
}
/** Which of these accounts are linked family of which of these elders, in one read: "elderId userId" pairs. */
export async function familyLinksAmong(db: Kysely<DB>, elderPersonIds: string[], userIds: string[]): Promise<Set<string>> {
  if (elderPersonIds.length === 0 || userIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('care_family_links')
    .select(['elder_person_id', 'user_id'])
    .where('elder_person_id', 'in', elderPersonIds)
    .where('user_id', 'in', userIds)
    .execute();
  return new Set(rows.map((r) => `${r.elder_person_id} ${r.user_id}`));
}

/** Moves each elder's last activity forward to their latest active reading, in one statement. */
export async function markActivities(db: Kysely<DB>, latest: Map<string, number>): Promise<void> {
  if (latest.size === 0) return;
  const values = sql.join([...latest].map(([id, at]) => sql`(${id}, ${at})`));
  await sql`
    update care_elders set last_activity_at = cast(v.column2 as bigint)
    from (values ${values}) as v
    where care_elders.person_id = v.column1 and (care_elders.last_activity_at is null or care_elders.last_activity_at < cast(v.column2 as bigint))`.execute(
    db,
  );
}
