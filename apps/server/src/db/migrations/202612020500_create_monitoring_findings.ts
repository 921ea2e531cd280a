import type { Kysely } from 'kysely';

/**
 * Change detection's records (monitoring): each camera's baseline scenes (a copy of the picture,
 * kept apart from the snapshots so retention never takes it), its detection state (the settings a
 * cadre chose, the current baseline and the persistence tracker as JSON, so a restart resumes
 * where it stopped), one row per snapshot compared (what makes a second run of the same snapshot
 * do nothing), the findings (a change that lasted), and the plot or flock a farm camera watches
 * for a household. No foreign key points at monitoring_snapshots: retention deletes snapshots,
 * and a finding keeps its own copies of its before, after and outlined pictures.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('monitoring_baselines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('camera_id', 'text', (c) => c.notNull().references('monitoring_cameras.id'))
    .addColumn('snapshot_id', 'text', (c) => c.notNull())
    .addColumn('captured_at', 'bigint', (c) => c.notNull())
    .addColumn('file_key', 'text', (c) => c.notNull())
    // first | accepted
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('finding_id', 'text')
    .addColumn('accepted_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('monitoring_baselines_camera_idx').on('monitoring_baselines').columns(['camera_id', 'created_at']).execute();

  await db.schema
    .createTable('monitoring_detection_state')
    .addColumn('camera_id', 'text', (c) => c.primaryKey().references('monitoring_cameras.id'))
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    // null: the installation's default
    .addColumn('snapshots_to_confirm', 'integer')
    .addColumn('min_area_fraction', 'real')
    .addColumn('baseline_id', 'text')
    // JSON: persistence.ts's TrackerState
    .addColumn('tracker', 'text')
    .addColumn('last_snapshot_id', 'text')
    .addColumn('last_captured_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('monitoring_detections')
    .addColumn('snapshot_id', 'text', (c) => c.primaryKey())
    .addColumn('camera_id', 'text', (c) => c.notNull())
    .addColumn('baseline_id', 'text')
    // baseline | compared | skipped | failed
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('changed_fraction', 'real', (c) => c.notNull())
    .addColumn('regions', 'integer', (c) => c.notNull())
    .addColumn('ms', 'integer', (c) => c.notNull())
    .addColumn('detected_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('monitoring_detections_camera_idx')
    .on('monitoring_detections')
    .columns(['camera_id', 'detected_at'])
    .execute();

  await db.schema
    .createTable('monitoring_findings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('camera_id', 'text', (c) => c.notNull().references('monitoring_cameras.id'))
    .addColumn('region_id', 'text', (c) => c.notNull())
    .addColumn('village_id', 'text')
    .addColumn('township_id', 'text')
    .addColumn('county_id', 'text')
    .addColumn('baseline_id', 'text', (c) => c.notNull())
    .addColumn('after_snapshot_id', 'text', (c) => c.notNull())
    .addColumn('after_captured_at', 'bigint', (c) => c.notNull())
    // JSON: string[]
    .addColumn('snapshot_ids', 'text', (c) => c.notNull())
    // JSON: NormalisedBox[], the persisting one first
    .addColumn('boxes', 'text', (c) => c.notNull())
    .addColumn('changed_fraction', 'real', (c) => c.notNull())
    .addColumn('score', 'real', (c) => c.notNull())
    .addColumn('before_key', 'text', (c) => c.notNull())
    .addColumn('after_key', 'text', (c) => c.notNull())
    .addColumn('outlined_key', 'text', (c) => c.notNull())
    // open | confirmed | sceneAccepted
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('case_id', 'text')
    .addColumn('confirmed_by', 'text')
    .addColumn('confirmed_at', 'bigint')
    .addColumn('resolved_by', 'text')
    .addColumn('resolved_at', 'bigint')
    .addColumn('note', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  // One finding per (baseline, after snapshot): a second run of the same snapshot cannot add one.
  await db.schema
    .createIndex('monitoring_findings_once_idx')
    .on('monitoring_findings')
    .columns(['baseline_id', 'after_snapshot_id'])
    .unique()
    .execute();
  await db.schema
    .createIndex('monitoring_findings_township_idx')
    .on('monitoring_findings')
    .columns(['township_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('monitoring_findings_camera_idx')
    .on('monitoring_findings')
    .columns(['camera_id', 'created_at', 'id'])
    .execute();
  // Findings whose case is still to be made (a crash between the two).
  await db.schema.createIndex('monitoring_findings_case_idx').on('monitoring_findings').columns(['case_id']).execute();

  await db.schema
    .createTable('monitoring_farm_subjects')
    .addColumn('camera_id', 'text', (c) => c.primaryKey().references('monitoring_cameras.id'))
    .addColumn('household_id', 'text', (c) => c.notNull())
    // plot | flock
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    // The agriculture module's own plot or flock, once it has them.
    .addColumn('agri_subject_id', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('monitoring_farm_subjects_household_idx').on('monitoring_farm_subjects').columns(['household_id']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Not reversible: restore from a backup instead.');
}
