// The org module's personal data as the privacy module reaches it (org.privacy.ts).
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

export async function personRow(db: Kysely<DB>, personId: string) {
  return db.selectFrom('people').selectAll().where('id', '=', personId).executeTakeFirst();
}

export async function usersOfPerson(db: Kysely<DB>, personId: string) {
  return db.selectFrom('users').select(['id', 'phone', 'display_name', 'created_at']).where('person_id', '=', personId).execute();
}

/**
 * Anonymises the person's row: the row stays (households, ledgers and cases point at it) with no
 * name, contact or identity left; the linked accounts are disabled and their login phone replaced.
 */
export async function anonymisePerson(db: Kysely<DB>, personId: string, now: number): Promise<void> {
  await db
    .updateTable('people')
    .set({
      name: '已注销',
      gender: null,
      birth_date: null,
      relation: null,
      phone: null,
      id_number_enc: null,
      id_number_hash: null,
      id_number_masked: null,
      updated_at: now,
    })
    .where('id', '=', personId)
    .execute();
  const users = await usersOfPerson(db, personId);
  for (const user of users) {
    await db
      .updateTable('users')
      .set({ display_name: '已注销', phone: `erased-${user.id}`, disabled: 1, updated_at: now })
      .where('id', '=', user.id)
      .execute();
  }
}

export async function memberIdsOf(db: Kysely<DB>, householdId: string): Promise<string[]> {
  return (await db.selectFrom('people').select('id').where('household_id', '=', householdId).execute()).map((r) => r.id);
}

export async function personOfUser(db: Kysely<DB>, userId: string): Promise<string | null> {
  return (await db.selectFrom('users').select('person_id').where('id', '=', userId).executeTakeFirst())?.person_id ?? null;
}
