// Farms: a household's plots (crop or orchard, area in mu, variety, planting date) and flocks or
// herds (species, head count, age), kept by the household on a phone or by the township's
// extension worker; every change lands in the farm's history beside the audit entry. Farm cameras
// attached to the household on the camera desk (monitoring) are linked to a plot or flock here.
import type { FlockInput, FlockPatch, PlotInput, PlotPatch } from '@cunzhi/contracts/agri-farms';
import type { Placement, Principal } from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { runIdempotent } from '../../platform/idempotency.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { decodeCursor, type Page, toPage } from '../../platform/pagination.ts';
import { farmCamerasOfHousehold, type HouseholdFarmCamera, linkAgriSubject } from '../monitoring/monitoring-farm.service.ts';
import { householdHeadsOf } from '../org/households.service.ts';
import { checkPastDate, type FarmHouseholdRecord, farmHousehold, refuse, scopeWithin } from './agri-access.ts';
import * as repo from './agri-farms.repository.ts';

export type { ChangeRecord, FlockRecord, PlotRecord } from './agri-farms.repository.ts';

export type Farm = {
  household: FarmHouseholdRecord;
  plots: repo.PlotRecord[];
  flocks: repo.FlockRecord[];
  cameras: HouseholdFarmCamera[];
};

/** A household's farm as the caller may see it; the read is audited. */
export async function getFarm(deps: Deps, principal: Principal, actor: Actor, householdId: string): Promise<Farm> {
  const household = await farmHousehold(deps, principal, actor, householdId, 'agri.read', 'agri.farm.read');
  const { plots, flocks } = await repo.farmsOf(deps.reader, [householdId]);
  const cameras = await farmCamerasOfHousehold(deps, householdId);
  await recordAudit(
    deps.db,
    actor,
    { action: 'agri.farm.read', targetType: 'household', targetId: householdId, regionId: household.placement.regionId },
    deps.now(),
  );
  return { household, plots, flocks, cameras };
}

export async function myFarm(deps: Deps, principal: Principal, actor: Actor): Promise<Farm> {
  if (!principal.householdId) throw notFound('household');
  return getFarm(deps, principal, actor, principal.householdId);
}

export type FarmSummary = { household: FarmHouseholdRecord; plots: repo.PlotRecord[]; flocks: repo.FlockRecord[] };

/** The farms (households with a plot or flock) in the caller's places, by household id; audited as a list read. */
export async function listFarms(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  query: { regionId?: string; q?: string; limit?: number; cursor?: string },
  regionPlacement?: Placement,
): Promise<Page<FarmSummary>> {
  const scope = scopeWithin(principal, 'agri.read', regionPlacement);
  const limit = query.limit ?? 20;
  const after = decodeCursor(query.cursor, ['text'] as const)?.[0];
  const q = query.q?.trim();
  const out: FarmSummary[] = [];
  let cursor = after;
  // A name filter narrows pages after the fact: read on until the page is full or the farms end.
  for (let round = 0; round < 20 && out.length <= limit; round++) {
    const ids = await repo.listFarmHouseholdIds(deps.reader, scope, cursor, 200);
    if (ids.length === 0) break;
    cursor = ids[ids.length - 1];
    const heads = await householdHeadsOf(deps, ids);
    const { plots, flocks } = await repo.farmsOf(deps.reader, ids);
    for (const id of ids) {
      const head = heads.get(id);
      if (!head || (q && !head.headName.includes(q) && !head.number.includes(q))) continue;
      out.push({
        household: { id, number: head.number, headName: head.headName, placement: { ...head.placement, householdId: id } },
        plots: plots.filter((p) => p.householdId === id),
        flocks: flocks.filter((f) => f.householdId === id),
      });
      if (out.length > limit) break;
    }
    if (ids.length < 200) break;
  }
  await recordAudit(
    deps.db,
    actor,
    { action: 'agri.farms.read', targetType: 'region', targetId: query.regionId ?? null, details: { count: Math.min(out.length, limit) } },
    deps.now(),
  );
  return toPage(out, limit, (f) => [f.household.id]);
}

export async function farmHistory(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  householdId: string,
  query: { limit?: number; cursor?: string },
): Promise<Page<repo.ChangeRecord>> {
  const household = await farmHousehold(deps, principal, actor, householdId, 'agri.read', 'agri.history.read');
  const limit = query.limit ?? 20;
  const before = decodeCursor(query.cursor, ['text'] as const)?.[0];
  const rows = await repo.listChanges(deps.reader, householdId, before, limit + 1);
  await recordAudit(
    deps.db,
    actor,
    { action: 'agri.history.read', targetType: 'household', targetId: householdId, regionId: household.placement.regionId },
    deps.now(),
  );
  return toPage(rows, limit, (c) => [c.id]);
}

const blank = (text: string | undefined) => text !== undefined && text.trim() === '';

function diff<T extends Record<string, unknown>>(before: T | undefined, after: T, fields: readonly (keyof T & string)[]) {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const field of fields) {
    const from = before ? before[field] : null;
    if (from !== after[field]) changes[field] = { from: from ?? null, to: after[field] ?? null };
  }
  return changes;
}

const PLOT_FIELDS = ['name', 'kind', 'crop', 'variety', 'areaMu', 'plantedOn', 'growthStage', 'note'] as const;
const FLOCK_FIELDS = ['name', 'species', 'breed', 'headCount', 'startedOn', 'growthStage', 'note'] as const;

type Subject = { kind: 'plot'; record: repo.PlotRecord } | { kind: 'flock'; record: repo.FlockRecord };

/** Writes a plot or flock with its history row and audit entry, in one transaction. */
async function writeSubject(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  subject: Subject,
  action: 'created' | 'changed' | 'retired',
  before: repo.PlotRecord | repo.FlockRecord | undefined,
  idempotencyKey: string | undefined,
  payload: unknown,
): Promise<string> {
  const now = subject.record.updatedAt;
  const fields = subject.kind === 'plot' ? PLOT_FIELDS : FLOCK_FIELDS;
  const changes = diff(
    before as Record<string, unknown> | undefined,
    subject.record as unknown as Record<string, unknown>,
    fields as readonly string[],
  );
  return runIdempotent(
    deps.db,
    { principalId: principal.userId, key: idempotencyKey, operation: `agri.${subject.kind}.${action}`, payload },
    async (trx) => {
      if (action === 'created') {
        if (subject.kind === 'plot') await repo.insertPlot(trx, subject.record);
        else await repo.insertFlock(trx, subject.record);
      } else if (subject.kind === 'plot') await repo.savePlot(trx, subject.record);
      else await repo.saveFlock(trx, subject.record);
      await repo.insertChange(trx, {
        id: uuidv7(now),
        householdId: subject.record.householdId,
        subjectType: subject.kind,
        subjectId: subject.record.id,
        action,
        changes: action === 'retired' ? {} : changes,
        byUserId: principal.userId,
        byName: principal.displayName,
        at: now,
      });
      await recordAudit(
        trx,
        actor,
        {
          action: `agri.${subject.kind}.${action === 'created' ? 'create' : action === 'changed' ? 'update' : 'retire'}`,
          targetType: subject.kind,
          targetId: subject.record.id,
          regionId: subject.record.placement.regionId,
          details: { householdId: subject.record.householdId, fields: Object.keys(changes) },
        },
        now,
      );
      return subject.record.id;
    },
  );
}

export async function addPlot(deps: Deps, principal: Principal, actor: Actor, householdId: string, input: PlotInput, key?: string) {
  const household = await farmHousehold(deps, principal, actor, householdId, 'agri.farm', 'agri.plot.create');
  const now = deps.now();
  checkPastDate(input.plantedOn, now, 'plantedOn');
  if (blank(input.name)) throw new AppError('validation_failed', {}, [{ field: 'name', problem: 'blank' }]);
  // The key decides the id, so a retried create answers with the plot the first one made.
  const record: repo.PlotRecord = {
    id: uuidv7(now),
    householdId,
    placement: household.placement,
    name: input.name.trim(),
    kind: input.kind,
    crop: input.crop,
    variety: input.variety?.trim() ?? '',
    areaMu: input.areaMu,
    plantedOn: input.plantedOn ?? null,
    growthStage: input.growthStage ?? null,
    note: input.note?.trim() ?? '',
    retiredAt: null,
    createdAt: now,
    updatedAt: now,
  };
  const id = await writeSubject(deps, principal, actor, { kind: 'plot', record }, 'created', undefined, key, { householdId, input });
  return (await repo.findPlot(deps.db, id)) as repo.PlotRecord;
}

export async function addFlock(deps: Deps, principal: Principal, actor: Actor, householdId: string, input: FlockInput, key?: string) {
  const household = await farmHousehold(deps, principal, actor, householdId, 'agri.farm', 'agri.flock.create');
  const now = deps.now();
  checkPastDate(input.startedOn, now, 'startedOn');
  if (blank(input.name)) throw new AppError('validation_failed', {}, [{ field: 'name', problem: 'blank' }]);
  const record: repo.FlockRecord = {
    id: uuidv7(now),
    householdId,
    placement: household.placement,
    name: input.name.trim(),
    species: input.species,
    breed: input.breed?.trim() ?? '',
    headCount: input.headCount,
    startedOn: input.startedOn ?? null,
    growthStage: input.growthStage ?? null,
    note: input.note?.trim() ?? '',
    retiredAt: null,
    createdAt: now,
    updatedAt: now,
  };
  const id = await writeSubject(deps, principal, actor, { kind: 'flock', record }, 'created', undefined, key, { householdId, input });
  return (await repo.findFlock(deps.db, id)) as repo.FlockRecord;
}

/** A plot or flock in use that the caller may read (`agri.read`) or change (`agri.farm`). */
export async function requireSubject(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  kind: 'plot' | 'flock',
  id: string,
  permission: 'agri.read' | 'agri.farm' | 'agri.camera',
  action: string,
): Promise<Subject> {
  const record = kind === 'plot' ? await repo.findPlot(deps.reader, id) : await repo.findFlock(deps.reader, id);
  if (!record) return refuse(deps, actor, { action, targetType: kind, targetId: id, regionId: null }, notFound(kind));
  await farmHousehold(deps, principal, actor, record.householdId, permission, action);
  if (record.retiredAt !== null) throw new AppError('agri_subject_retired');
  return kind === 'plot' ? { kind, record: record as repo.PlotRecord } : { kind, record: record as repo.FlockRecord };
}

export async function changePlot(deps: Deps, principal: Principal, actor: Actor, id: string, patch: PlotPatch, key?: string) {
  const { record: before } = (await requireSubject(deps, principal, actor, 'plot', id, 'agri.farm', 'agri.plot.update')) as {
    record: repo.PlotRecord;
  };
  const now = deps.now();
  checkPastDate(patch.plantedOn, now, 'plantedOn');
  if (blank(patch.name)) throw new AppError('validation_failed', {}, [{ field: 'name', problem: 'blank' }]);
  const after: repo.PlotRecord = {
    ...before,
    ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
    name: patch.name?.trim() ?? before.name,
    variety: patch.variety?.trim() ?? before.variety,
    note: patch.note?.trim() ?? before.note,
    updatedAt: now,
  };
  await writeSubject(deps, principal, actor, { kind: 'plot', record: after }, 'changed', before, key, { id, patch });
  return (await repo.findPlot(deps.db, id)) as repo.PlotRecord;
}

export async function changeFlock(deps: Deps, principal: Principal, actor: Actor, id: string, patch: FlockPatch, key?: string) {
  const { record: before } = (await requireSubject(deps, principal, actor, 'flock', id, 'agri.farm', 'agri.flock.update')) as {
    record: repo.FlockRecord;
  };
  const now = deps.now();
  checkPastDate(patch.startedOn, now, 'startedOn');
  if (blank(patch.name)) throw new AppError('validation_failed', {}, [{ field: 'name', problem: 'blank' }]);
  const after: repo.FlockRecord = {
    ...before,
    ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
    name: patch.name?.trim() ?? before.name,
    breed: patch.breed?.trim() ?? before.breed,
    note: patch.note?.trim() ?? before.note,
    updatedAt: now,
  };
  await writeSubject(deps, principal, actor, { kind: 'flock', record: after }, 'changed', before, key, { id, patch });
  return (await repo.findFlock(deps.db, id)) as repo.FlockRecord;
}

/** Takes a plot or flock out of the farm; it stays in the history and in past observations. */
export async function retireSubject(deps: Deps, principal: Principal, actor: Actor, kind: 'plot' | 'flock', id: string, key?: string) {
  const subject = await requireSubject(deps, principal, actor, kind, id, 'agri.farm', `agri.${kind}.retire`);
  const now = deps.now();
  const record = { ...subject.record, retiredAt: now, updatedAt: now };
  await writeSubject(deps, principal, actor, { kind, record } as Subject, 'retired', subject.record, key, { id, retire: true });
}

/** Links a farm camera attached to the household to this plot or flock (or unlinks it). */
export async function linkCamera(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  kind: 'plot' | 'flock',
  id: string,
  cameraId: string | null,
): Promise<HouseholdFarmCamera | null> {
  const { record } = await requireSubject(deps, principal, actor, kind, id, 'agri.camera', `agri.${kind}.camera`);
  const cameras = await farmCamerasOfHousehold(deps, record.householdId);
  const target = cameraId ?? cameras.find((c) => c.agriSubjectId === id)?.cameraId;
  if (!target) throw notFound('camera');
  if (!(await linkAgriSubject(deps, target, record.householdId, cameraId === null ? null : id))) throw new AppError('camera_not_attached');
  await recordAudit(
    deps.db,
    actor,
    {
      action: `agri.${kind}.camera`,
      targetType: kind,
      targetId: id,
      regionId: record.placement.regionId,
      details: { cameraId: target, linked: cameraId !== null },
    },
    deps.now(),
  );
  const linked = (await farmCamerasOfHousehold(deps, record.householdId)).find((c) => c.cameraId === target);
  return cameraId === null ? null : (linked ?? null);
}
