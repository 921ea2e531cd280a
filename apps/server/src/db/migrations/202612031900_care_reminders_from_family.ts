import { type Kysely, sql } from 'kysely';

/**
 * A reminder a family member sends to their own elder's speaker is between them: `from_family`
 * marks it, and it is listed to its sender only, not to the village, township or doctor who list
 * the reminders of their care (those were listed with no sender, as if staff had sent them).
 * Earlier reminders are marked where the sender is linked family of an elder the reminder went to.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('care_reminders')
    .addColumn('from_family', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`
    update care_reminders set from_family = 1
    where exists (
      select 1 from care_commands c
      join care_family_links l on l.elder_person_id = c.elder_person_id and l.user_id = care_reminders.created_by
      where c.reminder_id = care_reminders.id
    )`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Not reversible: restore from a backup instead.');
}
