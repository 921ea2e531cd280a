// Opening a household's monitoring record, whoever raises it: the rules on its figures, a grid
// worker's visit or the household itself. One open record per household: a second flag adds its
// reasons to the record already running.
import type { FlagReason, FlagSource } from '@cunzhi/contracts/poverty';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Placement } from '../../platform/access.ts';
import { uuidv7 } from '../../platform/ids.ts';
import * as repo from './poverty.repository.ts';
import { categoryOf } from './poverty-rules.ts';

export type FlagRequest = {
  household: { id: string; number: string; headName: string; placement: Placement };
  source: FlagSource;
  reasons: FlagReason[];
  formerlyPoor: boolean;
  note: string | null;
  by: { userId: string | null; name: string | null; roles: string | null };
  now: number;
};

/** Opens a record, or returns the open one (with `created: false`) after adding any new reasons to it. */
export async function openFlag(trx: Kysely<DB>, request: FlagRequest): Promise<{ record: repo.MonitoredRecord; created: boolean }> {
  const open = await repo.findOpenOfHousehold(trx, request.household.id);
  if (open) {
    const merged = [...new Set([...open.reasons, ...request.reasons])];
    if (merged.length !== open.reasons.length && (await repo.updateMonitored(trx, open.id, open.version, { reasons: merged }, request.now)))
      return { record: { ...open, reasons: merged, version: open.version + 1 }, created: false };
    return { record: open, created: false };
  }
  const { household, now } = request;
  const record = await repo.insertMonitored(
    trx,
    {
      id: uuidv7(now),
      householdId: household.id,
      householdNumber: household.number,
      headName: household.headName,
      placement: { ...household.placement, householdId: household.id },
      category: categoryOf(request.reasons, request.formerlyPoor),
      status: 'identifying',
      doneSteps: 0,
      source: request.source,
      reasons: request.reasons,
      noticeText: null,
      noticeStartsAt: null,
      noticeEndsAt: null,
      nextVisitDueAt: null,
      flaggedBy: request.by.userId,
      flaggedAt: now,
      monitoredAt: null,
      removedAt: null,
      version: 0,
    },
    now,
  );
  await repo.insertStepEvent(trx, record.id, {
    id: uuidv7(now),
    phase: 'flag',
    step: request.source,
    decision: 'flag',
    actorUserId: request.by.userId,
    actorName: request.by.name,
    actorRole: request.by.roles,
    note: request.note,
    at: now,
  });
  return { record, created: true };
}
