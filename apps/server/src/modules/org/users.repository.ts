import type { Role } from '@cunzhi/contracts/roles';
import type { Kysely } from 'kysely';
import { compiledPerShape } from '../../db/compiled-once.ts';
import { keysetPage } from '../../db/keyset.ts';
import { containsText, startsWithText } from '../../db/like.ts';
import { placementOf } from '../../db/placement.ts';
import { lockedForShare } from '../../db/portable-sql.ts';
import type { DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope-filter.ts';
import type { Assignment, Placement, Scope } from '../../platform/access.ts';

/** A role of a user together with where its region sits, which deciding over the user needs. */
export type PlacedAssignment = Assignment & { placement: Placement };

/** An account as org keeps it; its password and lock are auth's (credentials.service.ts). */
export type UserRecord = {
  id: string;
  phone: string;
  displayName: string;
  personId: string | null;
  disabled: boolean;
  createdAt: number;
  assignments: PlacedAssignment[];
};

const USER_COLUMNS = ['id', 'phone', 'display_name', 'person_id', 'disabled', 'created_at'] as const;

type UserRow = {
  id: string;
  phone: string;
  display_name: string;
  person_id: string | null;
  disabled: number;
  created_at: number;
};

async function withAssignments(db: Kysely<DB>, row: UserRow): Promise<UserRecord> {
  return {
    id: row.id,
    phone: row.phone,
    displayName: row.display_name,
    personId: row.person_id,
    disabled: row.disabled === 1,
    createdAt: row.created_at,
    assignments: await loadAssignments(db, row.id),
  };
}

export async function findUser(db: Kysely<DB>, id: string): Promise<UserRecord | undefined> {
  const row = await db.selectFrom('users').select(USER_COLUMNS).where('id', '=', id).executeTakeFirst();
  return row && withAssignments(db, row);
}

export async function userExists(db: Kysely<DB>, id: string): Promise<boolean> {
  return (await db.selectFrom('users').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

/** The account as it is now, its roles included; for answers after a change the caller just made. */
export async function readUser(db: Kysely<DB>, id: string): Promise<UserRecord> {
  const row = await db.selectFrom('users').select(USER_COLUMNS).where('id', '=', id).executeTakeFirstOrThrow();
  return withAssignments(db, row);
}

/** Whether some account already speaks for this person. */
export async function personHasAccount(db: Kysely<DB>, personId: string): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').where('person_id', '=', personId).executeTakeFirst();
  return row !== undefined;
}

/** Users holding at least one role inside the scope, and, when asked, users holding none. */
export async function listUsers(
  db: Kysely<DB>,
  filter: { scope: Scope; includeUnassigned: boolean; q?: string; after?: string; limit: number },
): Promise<UserRecord[]> {
  let query = db
    .selectFrom('users as u')
    .select(USER_COLUMNS.map((c) => `u.${c}` as const))
    .where((eb) => {
      const assigned = eb.exists(
        eb
          .selectFrom('role_assignments as ra')
          .innerJoin('regions as r', 'r.id', 'ra.region_id')
          .select('ra.id')
          .whereRef('ra.user_id', '=', 'u.id')
          .where(inScope(filter.scope, { table: 'r' })),
      );
      if (!filter.includeUnassigned) return assigned;
      return eb.or([
        assigned,
        eb.not(eb.exists(eb.selectFrom('role_assignments as ra2').select('ra2.id').whereRef('ra2.user_id', '=', 'u.id'))),
      ]);
    });
  if (filter.q) {
    const q = filter.q;
    query = query.where((eb) => eb.or([containsText('u.display_name', q), startsWithText('u.phone', q)]));
  }
  const rows = await keysetPage(query, [['u.id', 'asc']], filter.after === undefined ? undefined : [filter.after], filter.limit).execute();
  return Promise.all(rows.map((row) => withAssignments(db, row)));
}

export async function insertUser(
  db: Kysely<DB>,
  user: { id: string; phone: string; displayName: string; personId: string | null },
  now: number,
): Promise<UserRecord> {
  await db
    .insertInto('users')
    .values({
      id: user.id,
      phone: user.phone,
      display_name: user.displayName,
      person_id: user.personId,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return {
    id: user.id,
    phone: user.phone,
    displayName: user.displayName,
    personId: user.personId,
    disabled: false,
    createdAt: now,
    assignments: [],
  };
}

export async function setUserDisabled(db: Kysely<DB>, id: string, disabled: boolean, now: number): Promise<void> {
  await db
    .updateTable('users')
    .set({ updated_at: now, disabled: disabled ? 1 : 0 })
    .where('id', '=', id)
    .execute();
}

export async function insertRoleAssignment(
  db: Kysely<DB>,
  assignment: { id: string; userId: string; role: string; regionId: string; gridId: string | null },
  now: number,
): Promise<void> {
  await db
    .insertInto('role_assignments')
    .values({
      id: assignment.id,
      user_id: assignment.userId,
      role: assignment.role,
      region_id: assignment.regionId,
      grid_id: assignment.gridId,
      created_at: now,
    })
    .execute();
}

export async function deleteRoleAssignment(db: Kysely<DB>, id: string): Promise<void> {
  await db.deleteFrom('role_assignments').where('id', '=', id).execute();
}

export async function loadAssignments(db: Kysely<DB>, userId: string): Promise<PlacedAssignment[]> {
  const rows = await db
    .selectFrom('role_assignments as ra')
    .innerJoin('regions as r', 'r.id', 'ra.region_id')
    .select(['ra.id', 'ra.role', 'ra.region_id', 'ra.grid_id', 'r.level', 'r.name', 'r.village_id', 'r.township_id', 'r.county_id'])
    .where('ra.user_id', '=', userId)
    // Roles given in the same millisecond keep the order they were given in (ids are time-ordered):
    // PostgreSQL returned such ties either way round.
    .orderBy('ra.created_at')
    .orderBy('ra.id')
    .execute();
  const gridIds = rows.flatMap((r) => (r.grid_id ? [r.grid_id] : []));
  const groups =
    gridIds.length === 0
      ? []
      : await db.selectFrom('grid_groups').select(['grid_id', 'region_id']).where('grid_id', 'in', gridIds).execute();
  return rows.map((r) => ({
    id: r.id,
    role: r.role as Role,
    regionId: r.region_id,
    regionLevel: r.level,
    regionName: r.name,
    gridId: r.grid_id,
    gridRegionIds: groups.filter((g) => g.grid_id === r.grid_id).map((g) => g.region_id),
    placement: placementOf(r),
  }));
}

/** Display names by user id; those that do not exist are missing from the answer. */
/** Built once per number of ids: every case list names its handlers with it. */
const displayNamesQuery = compiledPerShape<number, { id: string; display_name: string }>(
  (count) => String(count),
  (db, slot, count) =>
    db
      .selectFrom('users')
      .select(['id', 'display_name'])
      .where(
        'id',
        'in',
        Array.from({ length: count }, (_, i) => slot<string>(`${i}`)),
      ),
);

export async function listDisplayNamesByIds(db: Kysely<DB>, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const { rows } = await displayNamesQuery(db, ids.length, ids);
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

/** Phone numbers by user id; those that do not exist are missing from the answer. */
export async function listPhonesByIds(db: Kysely<DB>, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'phone']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.phone]));
}

export async function findUserIdByPhone(db: Kysely<DB>, phone: string): Promise<string | undefined> {
  return (await db.selectFrom('users').select('id').where('phone', '=', phone).executeTakeFirst())?.id;
}

export async function listUserIdsOfPerson(db: Kysely<DB>, personId: string): Promise<string[]> {
  return (await db.selectFrom('users').select('id').where('person_id', '=', personId).execute()).map((r) => r.id);
}

export type AccountIdentity = {
  id: string;
  phone: string;
  displayName: string;
  personId: string | null;
  householdId: string | null;
  disabled: boolean;
};

/** Who an account is and its person's household, for a principal; undefined for an unknown id. */
export async function findAccountIdentity(db: Kysely<DB>, id: string): Promise<AccountIdentity | undefined> {
  const row = await db
    .selectFrom('users as u')
    .leftJoin('people as p', 'p.id', 'u.person_id')
    .select(['u.id', 'u.phone', 'u.display_name', 'u.person_id', 'u.disabled', 'p.household_id'])
    .where('u.id', '=', id)
    .executeTakeFirst();
  return (
    row && {
      id: row.id,
      phone: row.phone,
      displayName: row.display_name,
      personId: row.person_id,
      householdId: row.household_id,
      disabled: row.disabled === 1,
    }
  );
}

/** Returns once no open transaction is still changing the account's role assignments (a share lock on them). */
export async function awaitAssignmentWriters(db: Kysely<DB>, userId: string): Promise<void> {
  await lockedForShare(db, db.selectFrom('role_assignments').select('id').where('user_id', '=', userId)).execute();
}
