// Village loudspeakers: a cadre registers one (its key shown once); the loudspeaker fetches what
// its village should hear with that key and says when it has read each aloud.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { authorize, type Principal } from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { hashToken } from '../../platform/tokens.ts';
import { requireRegion } from '../org/regions.service.ts';
import * as repo from './notices-loudspeakers.repository.ts';

export async function registerLoudspeaker(deps: Deps, principal: Principal, actor: Actor, villageId: string, name: string) {
  const village = await requireRegion(deps, villageId);
  if (village.placement.villageId !== villageId) throw notFound('region');
  authorize(principal, 'notices.write', village.placement, 'region');
  const key = `spk_${randomBytes(24).toString('base64url')}`;
  const speaker = await insertLoudspeaker(deps.db, villageId, name, key, deps.now());
  await recordAudit(
    deps.db,
    actor,
    { action: 'notices.loudspeaker.register', targetType: 'loudspeaker', targetId: speaker.id, regionId: villageId },
    deps.now(),
  );
  return { id: speaker.id, key };
}

/** Stores a loudspeaker under the hash of its key; `db` may be the demo loader's transaction. */
export function insertLoudspeaker(
  db: Kysely<DB>,
  villageId: string,
  name: string,
  key: string,
  now: number,
): Promise<repo.LoudspeakerRecord> {
  return repo.insertLoudspeaker(db, { id: uuidv7(now), villageId, name, keyHash: hashToken(key), createdAt: now });
}

async function loudspeakerFor(deps: Deps, key: string) {
  const speaker = await repo.findLoudspeakerByKeyHash(deps.reader, hashToken(key));
  if (!speaker) throw new AppError('not_authenticated');
  return speaker;
}

/** A loudspeaker fetches what its village should hear (text to speak), oldest first. */
export async function pollBroadcasts(deps: Deps, key: string) {
  const speaker = await loudspeakerFor(deps, key);
  const rows = await repo.listUnplayed(deps.db, speaker.villageId, 10);
  await repo.markFetched(
    deps.db,
    rows.map((r) => r.id),
    deps.now(),
  );
  return rows.map((r) => ({ id: r.id, kind: 'speak' as const, text: r.text }));
}

/** Played twice is still played; another village's broadcast is not found. */
export async function broadcastPlayed(deps: Deps, key: string, id: string): Promise<void> {
  const speaker = await loudspeakerFor(deps, key);
  if (await repo.markPlayed(deps.db, id, speaker.villageId, deps.now())) return;
  if (!(await repo.broadcastExists(deps.reader, id, speaker.villageId))) throw notFound('broadcast');
}
