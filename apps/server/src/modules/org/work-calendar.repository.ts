import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { DEFAULT_CALENDAR, type WorkCalendar } from '../../platform/working-time.ts';

export async function findCalendar(db: Kysely<DB>, countyId: string): Promise<WorkCalendar> {
  const row = await db.selectFrom('work_calendars').select('calendar').where('county_id', '=', countyId).executeTakeFirst();
  return row ? { ...DEFAULT_CALENDAR, ...(JSON.parse(row.calendar) as Partial<WorkCalendar>) } : DEFAULT_CALENDAR;
}

export async function saveCalendar(db: Kysely<DB>, countyId: string, calendar: WorkCalendar, now: number): Promise<WorkCalendar> {
  await db
    .insertInto('work_calendars')
    .values({ county_id: countyId, calendar: JSON.stringify(calendar), updated_at: now })
    .onConflict((oc) => oc.column('county_id').doUpdateSet({ calendar: JSON.stringify(calendar), updated_at: now }))
    .execute();
  return { ...DEFAULT_CALENDAR, ...calendar };
}
