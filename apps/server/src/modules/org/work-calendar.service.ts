// The county's working time (工作日历): the hours, weekdays, holidays and make-up working days
// (调休) that case deadlines and service-application due dates count. The arithmetic is pure and
// lives in platform/working-time.ts; this is where each county's calendar is kept.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Principal } from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import type { WorkCalendar } from '../../platform/working-time.ts';
import { configurableCounty } from './regions.service.ts';
import * as repo from './work-calendar.repository.ts';

/** The county's calendar, or the default one; `db` is the caller's transaction when inside one. */
export function calendarOf(db: Kysely<DB>, countyId: string): Promise<WorkCalendar> {
  return repo.findCalendar(db, countyId);
}

export async function getCalendar(deps: Deps, principal: Principal, countyId?: string): Promise<WorkCalendar> {
  return repo.findCalendar(deps.reader, await configurableCounty(deps, principal, countyId));
}

/** New deadlines count the new working time; deadlines already set stay. */
export async function saveCalendar(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  calendar: WorkCalendar,
  countyId?: string,
): Promise<WorkCalendar> {
  const county = await configurableCounty(deps, principal, countyId);
  if (calendar.dayEndMinute <= calendar.dayStartMinute) {
    throw new AppError('validation_failed', {}, [{ field: 'body.dayEndMinute', problem: 'the working day must end after it starts' }]);
  }
  return deps.db.transaction().execute(async (trx) => {
    const now = deps.now();
    const saved = await repo.saveCalendar(trx, county, calendar, now);
    await recordAudit(trx, actor, { action: 'case.calendar.update', targetType: 'region', targetId: county, regionId: county }, now);
    return saved;
  });
}
