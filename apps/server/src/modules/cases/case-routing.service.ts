// The one way a case is written, whoever raised it: a person (cases.service.ts createCase) or a
// camera (case-camera.service.ts createCaseFromFinding). Its category routes it to the grid worker
// of its place or to a department, with a deadline in working time; without anyone to route to it
// waits, received. The caller has checked who may raise it and owns the transaction. Internal to
// the cases module: other modules go through those two use cases.
import type { CASE_RECORDED_CHANNELS, CASE_SOURCES } from '@cunzhi/contracts/cases';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { addWorkingHours } from '../../platform/working-time.ts';
import { gridWorkerOf } from '../org/duty-holders.service.ts';
import type { requireRegion } from '../org/regions.service.ts';
import { calendarOf } from '../org/work-calendar.service.ts';
import type { Category } from './case-categories.repository.ts';
import * as events from './case-events.repository.ts';
import { applyToRollups } from './case-rollups.repository.ts';
import type { CaseState } from './case-workflow.ts';
import * as repo from './cases.repository.ts';

export type RoutedCase = {
  id: string;
  source: (typeof CASE_SOURCES)[number];
  channel: (typeof CASE_RECORDED_CHANNELS)[number];
  category: Category;
  region: Awaited<ReturnType<typeof requireRegion>>;
  title: string;
  description: string;
  latitude: number | null;
  longitude: number | null;
  reporter: { userId: string | null; householdId: string | null; name: string | null; phone: string | null; anonymous: boolean };
  /** 'pending' for a report the public sees only once a moderator has published it. */
  publicState: 'pending' | null;
  /** What the case's `create` event records of where it came from. */
  createDetails: Record<string, unknown>;
};

/** 20261128-00042: the day it came in (Asia/Shanghai) and its number that day. */
async function nextCaseNumber(db: Kysely<DB>, now: number): Promise<string> {
  const day = new Date(now + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
  return `${day}-${String(await repo.takeCaseNumber(db, day)).padStart(5, '0')}`;
}

/**
 * Writes the case, routed, with its `create` (and automatic `assign`) events, the audit record and
 * the statistics' roll-ups, in `trx`.
 */
export async function insertRoutedCase(trx: Kysely<DB>, actor: Actor, input: RoutedCase, now: number): Promise<repo.CaseRecord> {
  const { category, region } = input;
  const calendar = await calendarOf(trx, category.countyId);
  const assigneeUserId = category.routeTo === 'grid' ? await gridWorkerOf(trx, region.id) : undefined;
  const assigneeDepartmentId = category.routeTo === 'department' ? category.departmentId : null;
  const routed = assigneeUserId !== undefined || assigneeDepartmentId !== null;
  const state: CaseState = routed ? 'assigned' : 'received';
  const created = await repo.insertCase(trx, {
    id: input.id,
    number: await nextCaseNumber(trx, now),
    source: input.source,
    channel: input.channel,
    category_id: category.id,
    title: input.title,
    description: input.description,
    region_id: region.id,
    village_id: region.placement.villageId,
    township_id: region.placement.townshipId,
    county_id: region.placement.countyId,
    latitude: input.latitude,
    longitude: input.longitude,
    reporter_user_id: input.reporter.userId,
    reporter_household_id: input.reporter.householdId,
    reporter_name: input.reporter.name,
    reporter_phone: input.reporter.phone,
    anonymous: input.reporter.anonymous ? 1 : 0,
    state,
    assignee_user_id: assigneeUserId ?? null,
    assignee_department_id: assigneeDepartmentId,
    escalation_level: category.routeTo === 'grid' ? 'grid' : 'county',
    deadline_at: addWorkingHours(now, category.deadlineHours, calendar),
    answered_at: null,
    assigned_at: routed ? now : null,
    accepted_at: null,
    handled_at: null,
    replied_at: null,
    closed_at: null,
    created_at: now,
    updated_at: now,
    public_state: input.publicState,
  });
  const base = { caseId: created.id, actorUserId: actor.userId, actorRole: actor.roles, note: null, at: now };
  await events.insertEvent(trx, {
    ...base,
    id: uuidv7(now),
    action: 'create',
    fromState: null,
    toState: 'received',
    details: input.createDetails,
  });
  if (routed) {
    await events.insertEvent(trx, {
      ...base,
      id: uuidv7(now),
      action: 'assign',
      fromState: 'received',
      toState: 'assigned',
      details: { assigneeUserId: assigneeUserId ?? null, assigneeDepartmentId, automatic: true },
    });
  }
  await recordAudit(trx, actor, { action: 'case.create', targetType: 'case', targetId: created.id, regionId: region.id }, now);
  await applyToRollups(trx, undefined, created);
  return created;
}
