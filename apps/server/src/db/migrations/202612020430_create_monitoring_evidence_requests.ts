import type { Kysely } from 'kysely';

/**
 * Evidence for the police (monitoring): a township's police liaison asks for one camera's pictures
 * over a time range for a case number; a cadre whose region holds the camera approves or refuses.
 * The request keeps the camera's place (for the cadres' desk), the names of who asked and who
 * decided as they were then (the package and the log must not change when an account is renamed),
 * and the package once built. The holds list exactly the pictures an approval kept past retention,
 * which are also exactly the pictures the package holds.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('monitoring_evidence_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('camera_id', 'text', (c) => c.notNull().references('monitoring_cameras.id'))
    .addColumn('region_id', 'text', (c) => c.notNull())
    .addColumn('village_id', 'text')
    .addColumn('township_id', 'text')
    .addColumn('county_id', 'text')
    .addColumn('case_number', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('range_from', 'bigint', (c) => c.notNull())
    .addColumn('range_to', 'bigint', (c) => c.notNull())
    // requested | approved | refused | withdrawn
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('requested_by_name', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'bigint', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_by_name', 'text')
    .addColumn('decided_by_role', 'text')
    .addColumn('decided_at', 'bigint')
    .addColumn('decision_reason', 'text')
    .addColumn('withdrawn_at', 'bigint')
    .addColumn('image_count', 'integer')
    // null until approved; pending | ready | failed
    .addColumn('package_state', 'text')
    .addColumn('package_file', 'text')
    .addColumn('package_bytes', 'bigint')
    .addColumn('package_sha256', 'text')
    .addColumn('manifest_sha256', 'text')
    .addColumn('packaged_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('monitoring_evidence_requests_township_idx')
    .on('monitoring_evidence_requests')
    .columns(['township_id', 'status', 'id'])
    .execute();
  await db.schema
    .createIndex('monitoring_evidence_requests_village_idx')
    .on('monitoring_evidence_requests')
    .columns(['village_id', 'status', 'id'])
    .execute();
  await db.schema
    .createIndex('monitoring_evidence_requests_requester_idx')
    .on('monitoring_evidence_requests')
    .columns(['requested_by', 'id'])
    .execute();
  await db.schema
    .createIndex('monitoring_evidence_requests_package_idx')
    .on('monitoring_evidence_requests')
    .columns(['package_state', 'id'])
    .execute();

  await db.schema
    .createTable('monitoring_evidence_holds')
    .addColumn('request_id', 'text', (c) => c.notNull().references('monitoring_evidence_requests.id'))
    .addColumn('snapshot_id', 'text', (c) => c.notNull().references('monitoring_snapshots.id'))
    .addPrimaryKeyConstraint('monitoring_evidence_holds_pk', ['request_id', 'snapshot_id'])
    .execute();
  await db.schema.createIndex('monitoring_evidence_holds_snapshot_idx').on('monitoring_evidence_holds').columns(['snapshot_id']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Not reversible: restore from a backup instead.');
}
