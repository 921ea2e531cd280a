// Region shapes: the outlines the maps draw (the live view's, later the wall screen's), bundled
// with the installation and imported from a GeoJSON file (`npm run import:shapes`). Administrative
// outlines are public knowledge, like the regions themselves: any signed-in user may read them.
import type { Boundary, RegionShape } from '@cunzhi/contracts/region-shapes';
import type { RegionLevel } from '../../db/schema.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, type ErrorCode, notFound } from '../../platform/errors.ts';
import { CLI_ACTOR, type ImportProblem, type ImportResult } from './org-import.service.ts';
import { checkBoundary } from './region-boundary.ts';
import * as repo from './region-shapes.repository.ts';

/** The levels drawn inside a region of each level: one and two below. */
const LEVELS_UNDER: Record<RegionLevel, RegionLevel[]> = {
  county: ['township', 'village'],
  township: ['village', 'villagerGroup'],
  village: ['villagerGroup'],
  villagerGroup: [],
};

const present = (shape: repo.RegionShapeRecord): RegionShape => ({
  id: shape.id,
  code: shape.code,
  name: shape.name,
  nameEn: shape.nameEn,
  level: shape.level,
  parentId: shape.parentId,
  // Kept only after checkBoundary: parsed as it was written.
  boundary: shape.boundary === null ? null : (JSON.parse(shape.boundary) as Boundary),
});

export async function regionShapes(deps: Deps, regionId: string): Promise<{ region: RegionShape; within: RegionShape[] }> {
  const region = await repo.findRegionShape(deps.reader, regionId);
  if (!region) throw notFound('region');
  const within = await repo.listShapesUnder(deps.reader, region, LEVELS_UNDER[region.level]);
  // Parents before children: the map draws the finer outlines over the coarser.
  within.sort((a, b) => a.code.length - b.code.length || (a.code < b.code ? -1 : 1));
  return { region: present(region), within: within.map(present) };
}

const CODE_KEYS = ['code', '区划代码', '代码'] as const;

/**
 * Outlines from a GeoJSON FeatureCollection, one Feature per region named by its code in
 * `properties.code` (or 区划代码); `geometry: null` removes an outline. Every feature is checked
 * first; with any problem (by feature number) nothing is written. A region's outline is replaced.
 */
export async function importRegionShapes(deps: Deps, collection: unknown, actor: Actor = CLI_ACTOR): Promise<ImportResult> {
  const features = (collection as { type?: unknown; features?: unknown } | null)?.features;
  if ((collection as { type?: unknown } | null)?.type !== 'FeatureCollection' || !Array.isArray(features)) {
    throw new AppError('region_boundary_invalid');
  }
  const problems: ImportProblem[] = [];
  const found: { line: number; code: string; boundary: Boundary | null }[] = [];
  const seen = new Set<string>();
  for (const [index, feature] of features.entries()) {
    const line = index + 1;
    const problem = (code: ErrorCode, field: string) => problems.push({ line, field, code });
    const properties = (feature as { properties?: Record<string, unknown> } | null)?.properties ?? {};
    const raw = CODE_KEYS.map((key) => properties[key]).find((v) => v !== undefined);
    const code = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
    if (!/^\d{6,15}$/.test(code)) {
      problem('region_code_invalid', 'code');
      continue;
    }
    if (seen.has(code)) {
      problem('region_code_taken', 'code');
      continue;
    }
    seen.add(code);
    const geometry = (feature as { geometry?: unknown }).geometry;
    const boundary = geometry === null ? null : checkBoundary(geometry);
    if (boundary === undefined) problem('region_boundary_invalid', 'geometry');
    else found.push({ line, code, boundary });
  }
  const ids = await repo.regionIdsByCode(
    deps.db,
    found.map((f) => f.code),
  );
  for (const f of found) if (!ids.has(f.code)) problems.push({ line: f.line, field: 'code', code: 'region_code_unknown' });
  if (problems.length > 0) throw new AppError('import_failed', { count: problems.length }, { problems });

  return deps.db.transaction().execute(async (trx) => {
    const now = deps.now();
    for (const f of found) await repo.setBoundary(trx, ids.get(f.code) as string, f.boundary && JSON.stringify(f.boundary), now);
    await recordAudit(trx, actor, { action: 'org.import', details: { kind: 'shapes', count: found.length } }, now);
    return { imported: found.length };
  });
}
