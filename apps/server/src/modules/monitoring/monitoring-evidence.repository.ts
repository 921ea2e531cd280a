// Evidence requests: every query on monitoring_evidence_requests and monitoring_evidence_holds, and
// the few reads and the hold that evidence makes on cameras and snapshots (the module's own tables).
import type { Kysely, Selectable } from 'kysely';
import { keysetPage } from '../../db/keyset.ts';
import { placedColumns, placementOf } from '../../db/placement.ts';
import type { CameraPurpose, DB, EvidencePackageState, EvidenceRequestStatus, MonitoringEvidenceRequestTable } from '../../db/schema.ts';
import { inScope } from '../../db/scope-filter.ts';
import type { Placement, Scope } from '../../platform/access.ts';

export type EvidencePackageRecord = {
  state: EvidencePackageState;
  file: string | null;
  bytes: number | null;
  sha256: string | null;
  manifestSha256: string | null;
  packagedAt: number | null;
};

export type EvidenceRequestRecord = {
  id: string;
  cameraId: string;
  placement: Placement;
  caseNumber: string;
  reason: string;
  from: number;
  to: number;
  status: EvidenceRequestStatus;
  requestedBy: string;
  requestedByName: string;
  requestedAt: number;
  decidedBy: string | null;
  decidedByName: string | null;
  decidedByRole: string | null;
  decidedAt: number | null;
  decisionReason: string | null;
  withdrawnAt: number | null;
  imageCount: number | null;
  package: EvidencePackageRecord | null;
  updatedAt: number;
};

function toRecord(row: Selectable<MonitoringEvidenceRequestTable>): EvidenceRequestRecord {
  return {
    id: row.id,
    cameraId: row.camera_id,
    placement: placementOf(row),
    caseNumber: row.case_number,
    reason: row.reason,
    from: Number(row.range_from),
    to: Number(row.range_to),
    status: row.status,
    requestedBy: row.requested_by,
    requestedByName: row.requested_by_name,
    requestedAt: Number(row.requested_at),
    decidedBy: row.decided_by,
    decidedByName: row.decided_by_name,
    decidedByRole: row.decided_by_role,
    decidedAt: row.decided_at === null ? null : Number(row.decided_at),
    decisionReason: row.decision_reason,
    withdrawnAt: row.withdrawn_at === null ? null : Number(row.withdrawn_at),
    imageCount: row.image_count,
    package:
      row.package_state === null
        ? null
        : {
            state: row.package_state,
            file: row.package_file,
            bytes: row.package_bytes === null ? null : Number(row.package_bytes),
            sha256: row.package_sha256,
            manifestSha256: row.manifest_sha256,
            packagedAt: row.packaged_at === null ? null : Number(row.packaged_at),
          },
    updatedAt: Number(row.updated_at),
  };
}

export async function insertRequest(db: Kysely<DB>, request: EvidenceRequestRecord): Promise<EvidenceRequestRecord> {
  await db
    .insertInto('monitoring_evidence_requests')
    .values({
      id: request.id,
      camera_id: request.cameraId,
      ...placedColumns(request.placement),
      case_number: request.caseNumber,
      reason: request.reason,
      range_from: request.from,
      range_to: request.to,
      status: request.status,
      requested_by: request.requestedBy,
      requested_by_name: request.requestedByName,
      requested_at: request.requestedAt,
      updated_at: request.updatedAt,
    })
    .execute();
  return request;
}

export async function findRequest(db: Kysely<DB>, id: string): Promise<EvidenceRequestRecord | undefined> {
  const row = await db.selectFrom('monitoring_evidence_requests').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toRecord(row);
}

/** Newest first: a liaison's own requests (`requestedBy`), or those about cameras in `scope`. */
export async function listRequests(
  db: Kysely<DB>,
  filter: { requestedBy: string } | { scope: Scope },
  status: EvidenceRequestStatus | undefined,
  after: readonly [string] | undefined,
  limit: number,
): Promise<EvidenceRequestRecord[]> {
  let query = db.selectFrom('monitoring_evidence_requests').selectAll();
  query =
    'requestedBy' in filter
      ? query.where('requested_by', '=', filter.requestedBy)
      : query.where(inScope(filter.scope, { table: 'monitoring_evidence_requests' }));
  if (status) query = query.where('status', '=', status);
  const rows = await keysetPage(query, [['monitoring_evidence_requests.id', 'desc']], after, limit).execute();
  return rows.map(toRecord);
}

/** A decision or a withdrawal, taken only from `requested`; false when the request was no longer there. */
export async function closeRequest(
  db: Kysely<DB>,
  id: string,
  changes: {
    status: Exclude<EvidenceRequestStatus, 'requested'>;
    at: number;
    decidedBy?: string;
    decidedByName?: string;
    decidedByRole?: string;
    decisionReason?: string;
    imageCount?: number;
  },
): Promise<boolean> {
  const decided = changes.status !== 'withdrawn';
  const result = await db
    .updateTable('monitoring_evidence_requests')
    .set({
      status: changes.status,
      updated_at: changes.at,
      ...(decided && {
        decided_by: changes.decidedBy ?? null,
        decided_by_name: changes.decidedByName ?? null,
        decided_by_role: changes.decidedByRole ?? null,
        decided_at: changes.at,
        decision_reason: changes.decisionReason ?? null,
      }),
      ...(changes.status === 'withdrawn' && { withdrawn_at: changes.at }),
      ...(changes.status === 'approved' && { image_count: changes.imageCount ?? 0, package_state: 'pending' as const }),
    })
    .where('id', '=', id)
    .where('status', '=', 'requested')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function setPackage(db: Kysely<DB>, id: string, pkg: EvidencePackageRecord, at: number): Promise<void> {
  await db
    .updateTable('monitoring_evidence_requests')
    .set({
      package_state: pkg.state,
      package_file: pkg.file,
      package_bytes: pkg.bytes,
      package_sha256: pkg.sha256,
      manifest_sha256: pkg.manifestSha256,
      packaged_at: pkg.packagedAt,
      updated_at: at,
    })
    .where('id', '=', id)
    .execute();
}

/** A ready package whose file is gone (a restore from a backup without it) goes back to be built again. */
export async function requeuePackage(db: Kysely<DB>, id: string, fileName: string, at: number): Promise<void> {
  await db
    .updateTable('monitoring_evidence_requests')
    .set({
      package_state: 'pending',
      package_file: null,
      package_bytes: null,
      package_sha256: null,
      manifest_sha256: null,
      packaged_at: null,
      updated_at: at,
    })
    .where('id', '=', id)
    .where('package_state', '=', 'ready')
    .where('package_file', '=', fileName)
    .execute();
}

/** Approved requests whose package is still to be built, oldest first. */
export async function pendingPackages(db: Kysely<DB>, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('monitoring_evidence_requests')
    .select('id')
    .where('package_state', '=', 'pending')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

export type EvidenceCameraRecord = { id: string; name: string; placement: Placement; purpose: CameraPurpose };

/**
 * The cameras a liaison may ask about: those placed in `scope`, except cameras in elders' homes,
 * whose pictures are inside a home and go to nobody outside the village's cadres.
 */
export async function camerasForEvidence(db: Kysely<DB>, scope: Scope, limit: number): Promise<EvidenceCameraRecord[]> {
  const rows = await db
    .selectFrom('monitoring_cameras')
    .select(['id', 'name', 'purpose', 'region_id', 'village_id', 'township_id', 'county_id'])
    .where(inScope(scope, { table: 'monitoring_cameras' }))
    .where('purpose', '<>', 'eldersHome')
    .orderBy('name')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, purpose: r.purpose, placement: placementOf(r) }));
}

export async function findEvidenceCamera(db: Kysely<DB>, id: string): Promise<EvidenceCameraRecord | undefined> {
  const row = await db
    .selectFrom('monitoring_cameras')
    .select(['id', 'name', 'purpose', 'region_id', 'village_id', 'township_id', 'county_id'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row && { id: row.id, name: row.name, purpose: row.purpose, placement: placementOf(row) };
}

export async function cameraNames(db: Kysely<DB>, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('monitoring_cameras')
    .select(['id', 'name'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** A camera's snapshot ids captured in [from, to] (both ends included), oldest first; at most `limit`. */
export async function snapshotIdsInRange(db: Kysely<DB>, cameraId: string, from: number, to: number, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('monitoring_snapshots')
    .select('id')
    .where('camera_id', '=', cameraId)
    .where('captured_at', '>=', from)
    .where('captured_at', '<=', to)
    .orderBy('captured_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** Holds the snapshots for the request: listed in its holds and kept past retention (`held`). */
export async function holdSnapshots(db: Kysely<DB>, requestId: string, snapshotIds: readonly string[]): Promise<void> {
  const CHUNK = 500;
  for (let i = 0; i < snapshotIds.length; i += CHUNK) {
    const chunk = snapshotIds.slice(i, i + CHUNK);
    await db
      .insertInto('monitoring_evidence_holds')
      .values(chunk.map((snapshotId) => ({ request_id: requestId, snapshot_id: snapshotId })))
      .execute();
    await db.updateTable('monitoring_snapshots').set({ held: 1 }).where('id', 'in', chunk).execute();
  }
}

export type HeldSnapshot = { id: string; capturedAt: number; receivedAt: number; source: string; sha256: string; fileKey: string };

/** The snapshots a request holds, in capture order: what its package holds. */
export async function heldSnapshots(db: Kysely<DB>, requestId: string): Promise<HeldSnapshot[]> {
  const rows = await db
    .selectFrom('monitoring_evidence_holds as h')
    .innerJoin('monitoring_snapshots as s', 's.id', 'h.snapshot_id')
    .select(['s.id', 's.captured_at', 's.received_at', 's.source', 's.sha256', 's.file_key'])
    .where('h.request_id', '=', requestId)
    .orderBy('s.captured_at')
    .orderBy('s.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    capturedAt: Number(r.captured_at),
    receivedAt: Number(r.received_at),
    source: r.source,
    sha256: r.sha256,
    fileKey: r.file_key,
  }));
}
