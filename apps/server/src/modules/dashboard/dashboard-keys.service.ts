// Screen keys: a county admin, township official or village cadre issues one per wall screen of
// their place (shown once, kept as a hash), lists and revokes them; issuing and revoking are
// audited. A key resolves to a principal that holds nothing but screen.read over its region, and
// only the dashboard's routes and the event stream resolve it (dashboard-screen.plugin.ts).
// Revoking ends the key's open event streams on this node at once; other nodes see it at their
// next check (every request reads the key; a stream rechecks at each heartbeat).
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB, RegionLevel } from '../../db/schema.ts';
import { allows, authorize, type Principal, scopeFor } from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import { runIdempotent } from '../../platform/idempotency.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { processCache } from '../../platform/process-cache.ts';
import { hashToken } from '../../platform/tokens.ts';
import { findRegion, findRegions, listRegionChildren, requireRegion } from '../org/regions.service.ts';
import { displayNamesOfUsers } from '../org/users.service.ts';
import * as repo from './dashboard-keys.repository.ts';

export type ScreenKey = repo.ScreenKeyRecord;
const newKey = () => `scr_${randomBytes(24).toString('base64url')}`;
/** How often a key's last use is written: a screen refetches often, the list needs only the day. */
const USE_WRITE_EVERY_MS = 60_000;
/** Revoked keys stay on the list this long, marked revoked, so the desk sees what was stopped. */
const REVOKED_LISTED_MS = 30 * 86_400_000;

/** Stores a key for a region; `db` may be the demo loader's transaction. */
export function insertScreenKey(
  db: Kysely<DB>,
  input: { regionId: string; name: string; key: string; createdBy: string | null },
  now: number,
) {
  return repo.insertScreenKey(db, {
    id: uuidv7(now),
    regionId: input.regionId,
    name: input.name,
    keyHash: hashToken(input.key),
    createdBy: input.createdBy,
    createdAt: now,
    lastUsedAt: null,
  });
}

/**
 * Issues a key. Under an Idempotency-Key the same body gets the same key record, but never its
 * text again: only the key's hash is kept, and a stored answer must not hold a live key. So a
 * retry whose first answer landed is refused with 409 screen_key_already_shown (the key is in the
 * list; revoke it and issue another if it was not kept); another body under the key is 422.
 */
export async function issueScreenKey(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  input: { regionId: string; name: string },
  idempotencyKey?: string,
) {
  const region = await requireRegion(deps, input.regionId);
  try {
    authorize(principal, 'screen.manage', region.placement, 'region');
  } catch (error) {
    await auditRefusal(deps, actor, 'screen.key.issue', { targetType: 'region', targetId: region.id, regionId: region.id });
    throw error;
  }
  // A group's figures are a handful of households (poverty categories, points): small enough to
  // point at a family, so a wall shows a village at least.
  if (region.level === 'villagerGroup') throw new AppError('screen_key_below_village');
  const key = newKey();
  const now = deps.now();
  const name = input.name.trim();
  let minted: string | undefined;
  const request = {
    principalId: principal.userId,
    key: idempotencyKey,
    operation: 'screen.key.issue',
    payload: { regionId: region.id, name },
  };
  const record = await runIdempotent(deps.db, request, async (trx) => {
    const stored = await insertScreenKey(trx, { regionId: region.id, name, key, createdBy: principal.userId }, now);
    minted = stored.id;
    await recordAudit(
      trx,
      actor,
      { action: 'screen.key.issue', targetType: 'screenKey', targetId: stored.id, regionId: region.id, details: { name: stored.name } },
      now,
    );
    return stored;
  });
  if (record.id !== minted) throw new AppError('screen_key_already_shown');
  return { ...record, key };
}

/** A refused key management call, recorded as the services record theirs. */
export function auditRefusal(
  deps: Deps,
  actor: Actor,
  action: string,
  target: { targetType: string; targetId: string | null; regionId?: string | null },
) {
  return recordAudit(deps.db, actor, { action, outcome: 'denied', ...target, details: { reason: 'out_of_reach' } }, deps.now());
}

/** The region and every place under it down to the villages (a county: a few hundred ids). */
async function regionsUnder(deps: Deps, regionId: string, level: RegionLevel): Promise<string[]> {
  if (level === 'village' || level === 'villagerGroup') return [regionId];
  const children = await listRegionChildren(deps, regionId);
  const nested = await Promise.all(children.map((c) => regionsUnder(deps, c.id, c.level)));
  return [regionId, ...nested.flat()];
}

export async function listScreenKeys(deps: Deps, principal: Principal, regionId: string | undefined): Promise<ScreenKey[]> {
  const scope = scopeFor(principal, 'screen.manage');
  const id = regionId ?? [...scope.countyIds, ...scope.townshipIds, ...scope.villageIds][0];
  if (!id) throw forbidden();
  const region = await requireRegion(deps, id);
  authorize(principal, 'screen.manage', region.placement, 'region');
  return repo.listRecent(deps.reader, await regionsUnder(deps, region.id, region.level), deps.now() - REVOKED_LISTED_MS, 500);
}

export async function revokeScreenKey(deps: Deps, principal: Principal, actor: Actor, id: string): Promise<void> {
  const key = await repo.findLive(deps.db, id);
  const region = key && (await findRegion(deps, key.regionId));
  if (!key || !region || !allows(principal, 'screen.manage', region.placement)) {
    await auditRefusal(deps, actor, 'screen.key.revoke', { targetType: 'screenKey', targetId: id.length <= 40 ? id : null });
    if (region) authorize(principal, 'screen.manage', region.placement, 'screenKey');
    throw notFound('screenKey');
  }
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    if (!(await repo.revoke(trx, id, principal.userId, now))) throw notFound('screenKey');
    await recordAudit(
      trx,
      actor,
      { action: 'screen.key.revoke', targetType: 'screenKey', targetId: id, regionId: key.regionId, details: { name: key.name } },
      now,
    );
  });
  for (const end of [...(streamsOf(deps).get(id) ?? [])]) end();
}

/** The live key presented, or undefined; its use is noted at most once a minute. */
export async function resolveScreenKey(deps: Deps, key: string): Promise<ScreenKey | undefined> {
  if (key.length === 0 || key.length > 100) return undefined;
  const found = await repo.findLiveByHash(deps.reader, hashToken(key));
  if (found && (found.lastUsedAt === null || deps.now() - found.lastUsedAt >= USE_WRITE_EVERY_MS)) {
    await repo.markUsed(deps.db, found.id, deps.now());
  }
  return found;
}

export async function isLive(deps: Deps, id: string): Promise<boolean> {
  return (await repo.findLive(deps.reader, id)) !== undefined;
}

/** What a key acts as: screen.read over its region, nothing else (access.ts's key grant 'screen'). */
export async function screenPrincipal(deps: Deps, key: ScreenKey): Promise<Principal> {
  const region = await requireRegion(deps, key.regionId);
  return {
    userId: `screen-key:${key.id}`,
    displayName: key.name,
    phone: '',
    personId: null,
    householdId: null,
    key: { kind: 'screen', scopes: [] },
    assignments: [
      {
        id: key.id,
        role: 'countyAdmin',
        regionId: region.id,
        regionLevel: region.level,
        regionName: region.name,
        gridId: null,
        gridRegionIds: [],
      },
    ],
  };
}

/** The key's id when this principal is a screen key's. */
export const screenKeyIdOf = (principal: Principal) => (principal.key?.kind === 'screen' ? principal.assignments[0]?.id : undefined);

/** Open event streams per key on this node, ended when the key is revoked. */
const streamsOf = (deps: Deps) => processCache(deps, 'dashboard.keyStreams', () => new Map<string, Set<() => void>>());

export function watchKeyStream(deps: Deps, keyId: string, onEnd: () => void): () => void {
  const streams = streamsOf(deps);
  const set = streams.get(keyId) ?? new Set();
  set.add(onEnd);
  streams.set(keyId, set);
  return () => {
    set.delete(onEnd);
    if (set.size === 0 && streams.get(keyId) === set) streams.delete(keyId);
  };
}

/** How many key streams are open on this node (for the week-long test and health pages). */
export const openKeyStreams = (deps: Deps) => [...streamsOf(deps).values()].reduce((n, s) => n + s.size, 0);

/** The display names of those who issued these keys, for the key list. */
export function issuersOf(deps: Deps, keys: readonly ScreenKey[]) {
  return displayNamesOfUsers(
    deps,
    keys.flatMap((k) => (k.createdBy ? [k.createdBy] : [])),
  );
}

export async function regionsOf(deps: Deps, keys: readonly ScreenKey[]) {
  return findRegions(deps, [...new Set(keys.map((k) => k.regionId))]);
}
