import type { Kysely } from 'kysely';

/**
 * A region's outline (issue 16, the live view's map): a GeoJSON Polygon or MultiPolygon in WGS84,
 * kept as JSON text (both dialects), bundled with the installation so that maps need no tiles
 * from the internet. Optional: a region without one is drawn from its cameras' positions alone.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('regions').addColumn('boundary', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('Not reversible: restore from a backup instead.');
}
