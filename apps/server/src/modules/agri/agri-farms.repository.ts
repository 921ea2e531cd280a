// A household's plots and flocks (agri_plots, agri_flocks) and the history of changes to them
// (agri_changes). Retired plots and flocks stay, out of the farm but in its history.
import type { Kysely } from 'kysely';
import { placedColumns, placementOf } from '../../db/placement.ts';
import type { AgriFlockTable, AgriPlotTable, DB } from '../../db/schema.ts';
import { inScope } from '../../db/scope-filter.ts';
import type { Placement, Scope } from '../../platform/access.ts';

export type PlotRecord = {
  id: string;
  householdId: string;
  placement: Placement;
  name: string;
  kind: string;
  crop: string;
  variety: string;
  areaMu: number;
  plantedOn: string | null;
  growthStage: string | null;
  note: string;
  retiredAt: number | null;
  createdAt: number;
  updatedAt: number;
};

export type FlockRecord = {
  id: string;
  householdId: string;
  placement: Placement;
  name: string;
  species: string;
  breed: string;
  headCount: number;
  startedOn: string | null;
  growthStage: string | null;
  note: string;
  retiredAt: number | null;
  createdAt: number;
  updatedAt: number;
};

const toPlot = (r: AgriPlotTable): PlotRecord => ({
  id: r.id,
  householdId: r.household_id,
  placement: placementOf(r, r.household_id),
  name: r.name,
  kind: r.kind,
  crop: r.crop,
  variety: r.variety,
  areaMu: Number(r.area_mu),
  plantedOn: r.planted_on,
  growthStage: r.growth_stage,
  note: r.note,
  retiredAt: r.retired_at === null ? null : Number(r.retired_at),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

const toFlock = (r: AgriFlockTable): FlockRecord => ({
  id: r.id,
  householdId: r.household_id,
  placement: placementOf(r, r.household_id),
  name: r.name,
  species: r.species,
  breed: r.breed,
  headCount: Number(r.head_count),
  startedOn: r.started_on,
  growthStage: r.growth_stage,
  note: r.note,
  retiredAt: r.retired_at === null ? null : Number(r.retired_at),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

export async function insertPlot(db: Kysely<DB>, p: PlotRecord): Promise<PlotRecord> {
  await db
    .insertInto('agri_plots')
    .values({
      id: p.id,
      household_id: p.householdId,
      ...placedColumns(p.placement),
      name: p.name,
      kind: p.kind,
      crop: p.crop,
      variety: p.variety,
      area_mu: p.areaMu,
      planted_on: p.plantedOn,
      growth_stage: p.growthStage,
      note: p.note,
      retired_at: p.retiredAt,
      created_at: p.createdAt,
      updated_at: p.updatedAt,
    })
    .execute();
  return p;
}

export async function savePlot(db: Kysely<DB>, p: PlotRecord): Promise<PlotRecord> {
  await db
    .updateTable('agri_plots')
    .set({
      name: p.name,
      kind: p.kind,
      crop: p.crop,
      variety: p.variety,
      area_mu: p.areaMu,
      planted_on: p.plantedOn,
      growth_stage: p.growthStage,
      note: p.note,
      retired_at: p.retiredAt,
      updated_at: p.updatedAt,
    })
    .where('id', '=', p.id)
    .execute();
  return p;
}

export async function findPlot(db: Kysely<DB>, id: string): Promise<PlotRecord | undefined> {
  const row = await db.selectFrom('agri_plots').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toPlot(row);
}

export async function insertFlock(db: Kysely<DB>, f: FlockRecord): Promise<FlockRecord> {
  await db
    .insertInto('agri_flocks')
    .values({
      id: f.id,
      household_id: f.householdId,
      ...placedColumns(f.placement),
      name: f.name,
      species: f.species,
      breed: f.breed,
      head_count: f.headCount,
      started_on: f.startedOn,
      growth_stage: f.growthStage,
      note: f.note,
      retired_at: f.retiredAt,
      created_at: f.createdAt,
      updated_at: f.updatedAt,
    })
    .execute();
  return f;
}

export async function saveFlock(db: Kysely<DB>, f: FlockRecord): Promise<FlockRecord> {
  await db
    .updateTable('agri_flocks')
    .set({
      name: f.name,
      species: f.species,
      breed: f.breed,
      head_count: f.headCount,
      started_on: f.startedOn,
      growth_stage: f.growthStage,
      note: f.note,
      retired_at: f.retiredAt,
      updated_at: f.updatedAt,
    })
    .where('id', '=', f.id)
    .execute();
  return f;
}

export async function findFlock(db: Kysely<DB>, id: string): Promise<FlockRecord | undefined> {
  const row = await db.selectFrom('agri_flocks').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toFlock(row);
}

/** The plots and flocks in use of these households. */
export async function farmsOf(db: Kysely<DB>, householdIds: readonly string[]): Promise<{ plots: PlotRecord[]; flocks: FlockRecord[] }> {
  if (householdIds.length === 0) return { plots: [], flocks: [] };
  const plots = await db
    .selectFrom('agri_plots')
    .selectAll()
    .where('household_id', 'in', householdIds)
    .where('retired_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const flocks = await db
    .selectFrom('agri_flocks')
    .selectAll()
    .where('household_id', 'in', householdIds)
    .where('retired_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return { plots: plots.map(toPlot), flocks: flocks.map(toFlock) };
}

/** Households with a plot or flock in use inside the scope, by id, after the cursor's id. */
export async function listFarmHouseholdIds(db: Kysely<DB>, scope: Scope, after: string | undefined, limit: number): Promise<string[]> {
  const plots = db
    .selectFrom('agri_plots as p')
    .select('p.household_id')
    .where('p.retired_at', 'is', null)
    .where(inScope(scope, { table: 'p', householdColumn: 'household_id' }));
  const flocks = db
    .selectFrom('agri_flocks as f')
    .select('f.household_id')
    .where('f.retired_at', 'is', null)
    .where(inScope(scope, { table: 'f', householdColumn: 'household_id' }));
  let query = db.selectFrom(plots.union(flocks).as('h')).select('h.household_id');
  if (after) query = query.where('h.household_id', '>', after);
  const rows = await query.orderBy('h.household_id').limit(limit).execute();
  return rows.map((r) => r.household_id);
}

export type SubjectRow = { householdId: string; subject: string; growthStage: string | null; placement: Placement };

/** Every plot and flock in use in the scope whose crop or species is one of `subjects`. */
export async function subjectsInScope(db: Kysely<DB>, scope: Scope, subjects: readonly string[]): Promise<SubjectRow[]> {
  if (subjects.length === 0) return [];
  const plots = await db
    .selectFrom('agri_plots as p')
    .selectAll('p')
    .where('p.retired_at', 'is', null)
    .where('p.crop', 'in', subjects)
    .where(inScope(scope, { table: 'p' }))
    .execute();
  const flocks = await db
    .selectFrom('agri_flocks as f')
    .selectAll('f')
    .where('f.retired_at', 'is', null)
    .where('f.species', 'in', subjects)
    .where(inScope(scope, { table: 'f' }))
    .execute();
  return [
    ...plots.map((r) => ({ householdId: r.household_id, subject: r.crop, growthStage: r.growth_stage, placement: placementOf(r) })),
    ...flocks.map((r) => ({ householdId: r.household_id, subject: r.species, growthStage: r.growth_stage, placement: placementOf(r) })),
  ];
}

export type ChangeRecord = {
  id: string;
  householdId: string;
  subjectType: 'plot' | 'flock';
  subjectId: string;
  action: 'created' | 'changed' | 'retired';
  changes: Record<string, { from: unknown; to: unknown }>;
  byUserId: string | null;
  byName: string;
  at: number;
};

export async function insertChange(db: Kysely<DB>, c: ChangeRecord): Promise<void> {
  await db
    .insertInto('agri_changes')
    .values({
      id: c.id,
      household_id: c.householdId,
      subject_type: c.subjectType,
      subject_id: c.subjectId,
      action: c.action,
      changes: JSON.stringify(c.changes),
      by_user_id: c.byUserId,
      by_name: c.byName,
      at: c.at,
    })
    .execute();
}

/** A household's changes, newest first, before the cursor's id (ids are time-ordered). */
export async function listChanges(db: Kysely<DB>, householdId: string, before: string | undefined, limit: number): Promise<ChangeRecord[]> {
  let query = db.selectFrom('agri_changes').selectAll().where('household_id', '=', householdId);
  if (before) query = query.where('id', '<', before);
  const rows = await query.orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({
    id: r.id,
    householdId: r.household_id,
    subjectType: r.subject_type as 'plot' | 'flock',
    subjectId: r.subject_id,
    action: r.action as ChangeRecord['action'],
    changes: JSON.parse(r.changes) as ChangeRecord['changes'],
    byUserId: r.by_user_id,
    byName: r.by_name,
    at: Number(r.at),
  }));
}
