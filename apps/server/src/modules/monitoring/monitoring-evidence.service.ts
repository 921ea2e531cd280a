// Evidence for the police (issue 16 item 5). A township's police liaison asks for one camera's
// pictures over a bounded time range for a case number; a township official or village cadre whose
// region holds the camera approves or refuses with a reason; approval holds the pictures (they
// outlive retention) and the package is built (monitoring-evidence-package.service.ts); the liaison
// downloads it. Who may do what is decided here, once per call, from every role the caller holds
// (platform/access.ts): a caller without the permission is refused (403), a request or camera
// outside the caller's reach is reported missing (404), and every refusal, view and download is
// audited.

import type { EvidenceRequestInput, EvidenceRequestListQuery } from '@cunzhi/contracts/monitoring-evidence';
import { EVIDENCE_MAX_RANGE_DAYS } from '@cunzhi/contracts/monitoring-evidence';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { allows, hasPermission, type Permission, type Principal, rolesWith, scopeFor } from '../../platform/access.ts';
import { type Actor, accountSetUpChain, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import { runIdempotent } from '../../platform/idempotency.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { decodeCursor, type Page, toPage } from '../../platform/pagination.ts';
import { regionNames } from '../org/regions.service.ts';
import * as repo from './monitoring-evidence.repository.ts';
import { buildRequestPackage, INLINE_PACKAGE_IMAGES, openPackage } from './monitoring-evidence-package.service.ts';

const DAY_MS = 24 * 3_600_000;
/** The liaison's permission, and the cadres'. */
const ASK: Permission = 'evidence.request';
const DECIDE: Permission = 'evidence.decide';
/** The most pictures one request may hold; a longer range is asked for in parts. */
export const MAX_EVIDENCE_IMAGES = 5_000;

type Action =
  | 'monitoring.evidence.request'
  | 'monitoring.evidence.approve'
  | 'monitoring.evidence.refuse'
  | 'monitoring.evidence.withdraw'
  | 'monitoring.evidence.view'
  | 'monitoring.evidence.list'
  | 'monitoring.evidence.download';

/** Audits the refusal (what and why, never what was sent) and throws it. */
async function refuse(
  deps: Deps,
  actor: Actor,
  action: Action,
  error: AppError,
  reason: string,
  target: { id?: string; regionId?: string | null; type?: 'evidenceRequest' | 'camera' } = {},
): Promise<never> {
  await recordAudit(
    deps.db,
    actor,
    {
      action,
      outcome: 'denied',
      targetType: target.type ?? 'evidenceRequest',
      targetId: target.id ?? null,
      regionId: target.regionId ?? null,
      details: { reason },
    },
    deps.now(),
  );
  throw error;
}

async function requirePermission(deps: Deps, principal: Principal, actor: Actor, action: Action, permission: Permission, id?: string) {
  if (!hasPermission(principal, permission)) await refuse(deps, actor, action, forbidden(), 'wrong_role', { id });
}

/** The range asked for, checked: starts before it ends, ends no later than now, spans at most 7 days. */
export function checkedRange(input: { from: string; to: string }, now: number): { from: number; to: number } {
  const from = Date.parse(input.from);
  const to = Date.parse(input.to);
  const ok = Number.isFinite(from) && Number.isFinite(to) && from < to && to <= now && to - from <= EVIDENCE_MAX_RANGE_DAYS * DAY_MS;
  if (!ok) throw new AppError('evidence_range_invalid', { days: EVIDENCE_MAX_RANGE_DAYS });
  return { from, to };
}

/** Text as the request keeps it: trimmed, at least two characters besides white space. */
function checkedText(text: string): string {
  const trimmed = text.trim();
  if (trimmed.length < 2) throw new AppError('validation_failed');
  return trimmed;
}

/** The cameras of the liaison's township a request may name (not elders' homes). */
export async function camerasForEvidence(deps: Deps, principal: Principal, actor: Actor): Promise<repo.EvidenceCameraRecord[]> {
  await requirePermission(deps, principal, actor, 'monitoring.evidence.request', 'evidence.request');
  return repo.camerasForEvidence(deps.reader, scopeFor(principal, 'evidence.request'), 500);
}

export async function requestEvidence(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  input: EvidenceRequestInput,
  idempotencyKey: string | undefined,
): Promise<repo.EvidenceRequestRecord> {
  const action = 'monitoring.evidence.request';
  await requirePermission(deps, principal, actor, action, ASK);
  const camera = await repo.findEvidenceCamera(deps.reader, input.cameraId);
  if (!camera || camera.purpose === 'eldersHome' || !allows(principal, 'evidence.request', camera.placement)) {
    return refuse(deps, actor, action, notFound('camera'), camera ? 'other_place' : 'no_camera', { type: 'camera', id: input.cameraId });
  }
  let range: { from: number; to: number };
  try {
    range = checkedRange(input, deps.now());
  } catch (error) {
    return refuse(deps, actor, action, error as AppError, 'range_invalid', { type: 'camera', id: camera.id });
  }
  const caseNumber = input.caseNumber;
  const reason = checkedText(input.reason);
  const request = { principalId: principal.userId, key: idempotencyKey, operation: action, payload: input };
  return runIdempotent(deps.db, request, async (trx) => {
    const now = deps.now();
    const made = await repo.insertRequest(trx, {
      id: uuidv7(now),
      cameraId: camera.id,
      placement: camera.placement,
      caseNumber,
      reason,
      from: range.from,
      to: range.to,
      status: 'requested',
      requestedBy: principal.userId,
      requestedByName: principal.displayName,
      requestedAt: now,
      decidedBy: null,
      decidedByName: null,
      decidedByRole: null,
      decidedAt: null,
      decisionReason: null,
      withdrawnAt: null,
      imageCount: null,
      package: null,
      updatedAt: now,
    });
    await recordAudit(
      trx,
      actor,
      {
        action,
        targetType: 'evidenceRequest',
        targetId: made.id,
        regionId: camera.placement.regionId,
        details: { cameraId: camera.id, caseNumber, from: range.from, to: range.to },
      },
      now,
    );
    return made;
  });
}

/** `mine` for the liaison, `desk` for the cadres of the cameras' places; the read is audited. */
export async function listEvidenceRequests(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  query: EvidenceRequestListQuery,
): Promise<Page<repo.EvidenceRequestRecord>> {
  const action = 'monitoring.evidence.list';
  const mine = query.view === 'mine';
  await requirePermission(deps, principal, actor, action, mine ? ASK : DECIDE);
  const limit = query.limit ?? 20;
  const after = decodeCursor(query.cursor, ['text'] as const);
  const filter = mine ? { requestedBy: principal.userId } : { scope: scopeFor(principal, 'evidence.decide') };
  const rows = await repo.listRequests(deps.reader, filter, query.status, after, limit);
  await recordAudit(
    deps.db,
    actor,
    {
      action,
      targetType: 'evidenceRequest',
      details: { view: query.view, status: query.status ?? null, count: Math.min(rows.length, limit) },
    },
    deps.now(),
  );
  return toPage(rows, limit, (r) => [r.id]);
}

/** How the caller stands to a request: its requester, a cadre of its place, or neither. */
function standing(principal: Principal, request: repo.EvidenceRequestRecord): { requester: boolean; decider: boolean } {
  return {
    requester: request.requestedBy === principal.userId && hasPermission(principal, 'evidence.request'),
    decider: allows(principal, 'evidence.decide', request.placement),
  };
}

/**
 * The request, if the caller may see it (its requester, or a cadre of the camera's place);
 * otherwise the refusal is audited and thrown: 403 without either permission, else 404.
 */
async function reachableRequest(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  action: Action,
  id: string,
): Promise<{ request: repo.EvidenceRequestRecord; requester: boolean; decider: boolean }> {
  if (!hasPermission(principal, 'evidence.request') && !hasPermission(principal, 'evidence.decide')) {
    return refuse(deps, actor, action, forbidden(), 'wrong_role', { id });
  }
  const request = await repo.findRequest(deps.db, id);
  if (!request) return refuse(deps, actor, action, notFound('evidenceRequest'), 'no_request', { id });
  const stand = standing(principal, request);
  if (!stand.requester && !stand.decider) {
    const why =
      request.requestedBy === principal.userId
        ? 'role_removed'
        : hasPermission(principal, 'evidence.decide')
          ? 'other_place'
          : 'not_own_request';
    return refuse(deps, actor, action, notFound('evidenceRequest'), why, { id, regionId: request.placement.regionId });
  }
  return { request, ...stand };
}

export async function viewEvidenceRequest(deps: Deps, principal: Principal, actor: Actor, id: string): Promise<repo.EvidenceRequestRecord> {
  const action = 'monitoring.evidence.view';
  const { request } = await reachableRequest(deps, principal, actor, action, id);
  await recordAudit(
    deps.db,
    actor,
    { action, targetType: 'evidenceRequest', targetId: id, regionId: request.placement.regionId, details: { status: request.status } },
    deps.now(),
  );
  return request;
}

/**
 * Whether the decider could be signing in as the requester: they are in the chain of people who set
 * up the requester's account (made it, gave it a role, reset its password or second factor, or did
 * so to the account that did), or someone who may decide requests set up both accounts. The county's
 * security administrator, who sets up accounts for everyone and decides nothing, joins no two.
 */
async function deciderCouldBeRequester(db: Kysely<DB>, deciderId: string, requesterId: string): Promise<boolean> {
  const requesterChain = await accountSetUpChain(db, requesterId);
  if (requesterChain.has(deciderId)) return true;
  const deciderChain = await accountSetUpChain(db, deciderId);
  const deciders = new Set<string>(rolesWith('evidence.decide'));
  for (const [actor, roles] of requesterChain) {
    const theirs = deciderChain.get(actor);
    if (theirs && [...roles, ...theirs].some((role) => deciders.has(role))) return true;
  }
  return false;
}

/**
 * A cadre of the camera's place approves (holding the pictures in range and queueing the package)
 * or refuses, with a reason. Nobody decides their own request. A package of a few pictures is
 * built at once; a larger one by the job (buildPendingPackages), off the request's path.
 */
export async function decideEvidenceRequest(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  id: string,
  decision: { approve: boolean; reason: string },
): Promise<repo.EvidenceRequestRecord> {
  const action = decision.approve ? 'monitoring.evidence.approve' : 'monitoring.evidence.refuse';
  const { request, decider } = await reachableRequest(deps, principal, actor, action, id);
  const target = { id, regionId: request.placement.regionId };
  if (!decider) return refuse(deps, actor, action, forbidden(), 'not_a_decider', target);
  if (request.requestedBy === principal.userId) return refuse(deps, actor, action, forbidden(), 'own_request', target);
  // Nor a request of an account the decider made, gave a role to or reset, or that was set up by an
  // account they set up, or by the same official who set up the decider: they could be the one
  // signing in with it (a township official may manage users and decide requests both).
  if (await deciderCouldBeRequester(deps.db, principal.userId, request.requestedBy))
    return refuse(deps, actor, action, new AppError('evidence_decider_set_up_requester'), 'requester_set_up_by_decider', target);
  if (request.status !== 'requested') return refuse(deps, actor, action, new AppError('evidence_request_state'), 'not_requested', target);
  const reason = checkedText(decision.reason);
  const role = principal.assignments.find((a) => allows({ ...principal, assignments: [a] }, 'evidence.decide', request.placement))?.role;

  let imageCount = 0;
  try {
    imageCount = await deps.db.transaction().execute(async (trx) => {
      const now = deps.now();
      const ids = decision.approve
        ? await repo.snapshotIdsInRange(trx, request.cameraId, request.from, request.to, MAX_EVIDENCE_IMAGES + 1)
        : [];
      if (decision.approve && ids.length === 0) throw new AppError('evidence_no_pictures');
      if (ids.length > MAX_EVIDENCE_IMAGES) throw new AppError('evidence_too_many_pictures', { max: MAX_EVIDENCE_IMAGES });
      const closed = await repo.closeRequest(trx, id, {
        status: decision.approve ? 'approved' : 'refused',
        at: now,
        decidedBy: principal.userId,
        decidedByName: principal.displayName,
        decidedByRole: role,
        decisionReason: reason,
        imageCount: ids.length,
      });
      if (!closed) throw new AppError('evidence_request_state');
      if (decision.approve) await repo.holdSnapshots(trx, id, ids);
      await recordAudit(
        trx,
        actor,
        {
          action,
          targetType: 'evidenceRequest',
          targetId: id,
          regionId: request.placement.regionId,
          details: { caseNumber: request.caseNumber, ...(decision.approve && { held: ids.length }) },
        },
        now,
      );
      return ids.length;
    });
  } catch (error) {
    if (error instanceof AppError && error.status < 500) return refuse(deps, actor, action, error, error.code, target);
    throw error;
  }
  // A build that fails here leaves the package pending: the job tries again and logs why.
  if (decision.approve && imageCount <= INLINE_PACKAGE_IMAGES) await buildRequestPackage(deps, id).catch(() => false);
  return (await repo.findRequest(deps.db, id)) as repo.EvidenceRequestRecord;
}

/** The liaison takes back a request not yet decided. */
export async function withdrawEvidenceRequest(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  id: string,
): Promise<repo.EvidenceRequestRecord> {
  const action = 'monitoring.evidence.withdraw';
  const { request, requester } = await reachableRequest(deps, principal, actor, action, id);
  const target = { id, regionId: request.placement.regionId };
  if (!requester) return refuse(deps, actor, action, forbidden(), 'not_own_request', target);
  const withdrawn = await deps.db.transaction().execute(async (trx) => {
    const now = deps.now();
    if (!(await repo.closeRequest(trx, id, { status: 'withdrawn', at: now }))) return false;
    await recordAudit(trx, actor, { action, targetType: 'evidenceRequest', targetId: id, regionId: target.regionId }, now);
    return true;
  });
  if (!withdrawn) return refuse(deps, actor, action, new AppError('evidence_request_state'), 'not_requested', target);
  return (await repo.findRequest(deps.db, id)) as repo.EvidenceRequestRecord;
}

/** The package file for its requester, once approved and built; every download is audited. */
export async function downloadEvidencePackage(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  id: string,
): Promise<{ file: string; bytes: number; name: string }> {
  const action = 'monitoring.evidence.download';
  const { request, requester } = await reachableRequest(deps, principal, actor, action, id);
  const target = { id, regionId: request.placement.regionId };
  if (!requester) return refuse(deps, actor, action, forbidden(), 'not_own_request', target);
  if (request.status !== 'approved') return refuse(deps, actor, action, new AppError('evidence_request_state'), 'not_approved', target);
  if (request.package?.state !== 'ready' || !request.package.file) {
    return refuse(deps, actor, action, new AppError('evidence_package_not_ready'), 'package_not_ready', target);
  }
  const opened = await openPackage(deps, request.package.file);
  if (!opened) {
    // The pictures are held, so the job builds the package again (signed anew, so its SHA-256 changes).
    await repo.requeuePackage(deps.db, id, request.package.file, deps.now());
    return refuse(deps, actor, action, new AppError('evidence_package_not_ready'), 'package_missing', target);
  }
  await recordAudit(
    deps.db,
    actor,
    {
      action,
      targetType: 'evidenceRequest',
      targetId: id,
      regionId: target.regionId,
      details: { caseNumber: request.caseNumber, packageSha256: request.package.sha256, bytes: opened.bytes },
    },
    deps.now(),
  );
  return { file: opened.file, bytes: opened.bytes, name: `evidence-${request.caseNumber}-${id.slice(-12)}.zip` };
}

export type RequestLabelsInput = repo.EvidenceRequestRecord;

/** Names to show beside requests: their cameras' and places'. */
export async function requestLabels(
  deps: Deps,
  requests: repo.EvidenceRequestRecord[],
): Promise<{ cameras: Map<string, string>; regions: Map<string, string> }> {
  const [cameras, regions] = await Promise.all([
    repo.cameraNames(
      deps.reader,
      requests.map((r) => r.cameraId),
    ),
    regionNames(
      deps,
      requests.map((r) => r.placement.regionId),
    ),
  ]);
  return { cameras, regions };
}

export async function cameraRegionNames(deps: Deps, cameras: repo.EvidenceCameraRecord[]): Promise<Map<string, string>> {
  return regionNames(
    deps,
    cameras.map((c) => c.placement.regionId),
  );
}
