import type { Kysely } from 'kysely';

/**
 * Cameras (monitoring): each registered in a region with where it looks, whose it is and why,
 * how its pictures arrive (pushed with a per-camera key, pulled from a snapshot URL, grabbed from
 * an RTSP stream, or found through ONVIF), the privacy masks blacked out before anything is kept
 * and how long its pictures are kept. Secrets are never plain: the push key as its SHA-256 (like
 * API keys), the camera's user name and password sealed (AES-256-GCM under the vault's key).
 * Snapshots are the pictures kept, one file each in the file store; `held` keeps one past its
 * camera's retention (an evidence hold). The queue lists stored snapshots not yet taken by change
 * detection, written in the same transaction as the snapshot, so none is missed after a restart.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('monitoring_cameras')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('region_id', 'text', (c) => c.notNull().references('regions.id'))
    .addColumn('village_id', 'text')
    .addColumn('township_id', 'text')
    .addColumn('county_id', 'text')
    .addColumn('latitude', 'real', (c) => c.notNull())
    .addColumn('longitude', 'real', (c) => c.notNull())
    // Compass bearing the camera looks along, 0 = north, clockwise.
    .addColumn('direction_degrees', 'integer', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    // publicSecurity | marketTown | farm | eldersHome
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('public_sign_ref', 'text')
    .addColumn('retention_days', 'integer', (c) => c.notNull())
    // JSON: [[x, y], ...][] in 0..1 of the picture's width and height
    .addColumn('privacy_masks', 'text', (c) => c.notNull())
    // JSON: [[x, y], ...] or null: where change detection looks
    .addColumn('watch_area', 'text')
    // push | httpPull | rtsp | onvif
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('snapshot_url', 'text')
    .addColumn('stream_url', 'text')
    .addColumn('onvif_url', 'text')
    // sealed JSON { username, password }
    .addColumn('credentials_sealed', 'text')
    .addColumn('pull_every_seconds', 'integer')
    .addColumn('next_pull_at', 'bigint')
    .addColumn('last_pull_at', 'bigint')
    // The code of the last failed pull, null once one succeeds.
    .addColumn('last_pull_error', 'text')
    .addColumn('push_key_hash', 'text', (c) => c.unique())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('monitoring_cameras_township_idx').on('monitoring_cameras').columns(['township_id', 'id']).execute();
  await db.schema.createIndex('monitoring_cameras_village_idx').on('monitoring_cameras').columns(['village_id', 'id']).execute();
  await db.schema.createIndex('monitoring_cameras_pull_idx').on('monitoring_cameras').columns(['enabled', 'next_pull_at']).execute();

  await db.schema
    .createTable('monitoring_snapshots')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('camera_id', 'text', (c) => c.notNull().references('monitoring_cameras.id'))
    // push | httpPull | rtsp | onvif
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('captured_at', 'bigint', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    // Of the stored file (masked, re-encoded), hex.
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('file_key', 'text', (c) => c.notNull())
    .addColumn('thumb_key', 'text', (c) => c.notNull())
    .addColumn('held', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('monitoring_snapshots_camera_idx')
    .on('monitoring_snapshots')
    .columns(['camera_id', 'captured_at', 'id'])
    .execute();

  await db.schema
    .createTable('monitoring_snapshot_queue')
    .addColumn('snapshot_id', 'text', (c) => c.primaryKey().references('monitoring_snapshots.id'))
    .addColumn('camera_id', 'text', (c) => c.notNull())
    .addColumn('queued_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('monitoring_snapshot_queue_order_idx')
    .on('monitoring_snapshot_queue')
    .columns(['queued_at', 'snapshot_id'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Not reversible: restore from a backup instead.');
}
