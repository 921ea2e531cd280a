// Notices (推送政务信息): a cadre writes government information, chooses who should get it (places,
// grids, households with a trait, named people), schedules it and pushes it. Each person is
// reached once — a push resumed after a restart repeats nobody — in the app with unread counts,
// urgent ones also by text and read aloud by the village loudspeakers. The cadre sees delivery and
// read receipts per household and who has not read it.
import { randomBytes } from 'node:crypto';
import { NOTICE_TRAITS } from '@cunzhi/contracts/notices';
import { type Kysely, sql } from 'kysely';
import { placedColumns, placementOf } from '../../db/placement.ts';
import type { DB, NoticeTable } from '../../db/schema.ts';
import { inScope } from '../../db/scope-filter.ts';
import { allows, authorize, type Placement, type Principal, scopeFor } from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { checkDocument } from '../../platform/documents.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { runIdempotent } from '../../platform/idempotency.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { notify } from '../../platform/notify.ts';
import { hashToken } from '../auth/auth.service.ts';
import { findRegion } from '../org/regions.repository.ts';

export { NOTICE_TRAITS } from '@cunzhi/contracts/notices';

export type Audience = { regionIds: string[]; gridIds: string[]; traits: string[]; personIds: string[] };
export type Attachment = { id: string; name: string; contentType: string; key: string };

export type Notice = {
  id: string;
  title: string;
  body: string;
  urgent: boolean;
  audience: Audience;
  attachments: Omit<Attachment, 'key'>[];
  state: NoticeTable['state'];
  scheduledAt: number | null;
  sentAt: number | null;
  expiresAt: number | null;
  recipients: number;
  createdAt: number;
  placement: Placement;
};

const toNotice = (r: NoticeTable): Notice => ({
  id: r.id,
  title: r.title,
  body: r.body,
  urgent: r.urgent === 1,
  audience: JSON.parse(r.audience) as Audience,
  attachments: (JSON.parse(r.attachments) as Attachment[]).map(({ key: _key, ...a }) => a),
  state: r.state,
  scheduledAt: r.scheduled_at,
  sentAt: r.sent_at,
  expiresAt: r.expires_at,
  recipients: r.recipients,
  createdAt: r.created_at,
  placement: placementOf(r),
});

async function findNotice(db: Kysely<DB>, id: string): Promise<NoticeTable | undefined> {
  return db.selectFrom('notices').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The notice as its author's side sees it: only in the scope of their notices.write. */
async function authorsNotice(deps: Deps, principal: Principal, id: string): Promise<NoticeTable> {
  const row = await findNotice(deps.reader, id);
  if (!row || !allows(principal, 'notices.write', toNotice(row).placement)) throw notFound('notice');
  return row;
}

/** Every part of the audience must lie in the author's scope: a cadre pushes to their own village. */
async function checkAudience(deps: Deps, principal: Principal, audience: Audience): Promise<void> {
  for (const regionId of audience.regionIds) {
    const placement = await placementOfRegion(deps.reader, regionId);
    if (!placement || !allows(principal, 'notices.write', placement)) throw notFound('region');
  }
  if (audience.gridIds.length) {
    const grids = await deps.reader.selectFrom('grids').select(['id', 'village_id']).where('id', 'in', audience.gridIds).execute();
    if (grids.length !== audience.gridIds.length) throw notFound('grid');
    for (const grid of grids) {
      const placement = await placementOfRegion(deps.reader, grid.village_id);
      if (!placement || !allows(principal, 'notices.write', placement)) throw notFound('grid');
    }
  }
  if (audience.personIds.length) {
    const people = await deps.reader
      .selectFrom('people')
      .select(['id', 'region_id', 'village_id', 'township_id', 'county_id'])
      .where('id', 'in', audience.personIds)
      .execute();
    if (people.length !== audience.personIds.length) throw notFound('person');
    for (const p of people) {
      if (!allows(principal, 'notices.write', placementOf(p))) {
        throw notFound('person');
      }
    }
  }
  for (const trait of audience.traits)
    if (!(NOTICE_TRAITS as readonly string[]).includes(trait)) throw new AppError('validation_failed', {}, { field: 'traits', trait });
}

/** A region's place (its own id at its level, its ancestors above), as the region stores it. */
const placementOfRegion = async (db: Kysely<DB>, regionId: string): Promise<Placement | undefined> =>
  (await findRegion(db, regionId))?.placement;

export type NoticeInput = {
  title: string;
  body: string;
  urgent: boolean;
  expiresAt?: string;
  audience: Partial<Audience>;
  /** Send at once (send), at a time (scheduledAt), or keep as a draft (neither). */
  send?: boolean;
  scheduledAt?: string;
};

export async function createNotice(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  input: NoticeInput,
  idempotencyKey: string | undefined,
): Promise<Notice> {
  // The notice belongs to the place of the author's first assignment that may push notices.
  let own: { regionId: string; home: Placement } | undefined;
  for (const assignment of principal.assignments) {
    const home = await placementOfRegion(deps.reader, assignment.regionId);
    if (home && allows(principal, 'notices.write', home)) {
      own = { regionId: assignment.regionId, home };
      break;
    }
  }
  if (!own) throw new AppError('forbidden');
  const home = own.home;
  const audience: Audience = {
    regionIds: input.audience.regionIds ?? [],
    gridIds: input.audience.gridIds ?? [],
    traits: input.audience.traits ?? [],
    personIds: input.audience.personIds ?? [],
  };
  // No places named: the author's own place.
  if (audience.regionIds.length === 0 && audience.gridIds.length === 0 && audience.personIds.length === 0)
    audience.regionIds = [own.regionId];
  await checkAudience(deps, principal, audience);
  const now = deps.now();
  const scheduledAt = input.send ? now : input.scheduledAt ? Date.parse(input.scheduledAt) : null;
  if (scheduledAt !== null && scheduledAt < now - 60_000)
    throw new AppError('validation_failed', {}, { field: 'scheduledAt', problem: 'in the past' });
  const id = await runIdempotent(
    deps.db,
    { principalId: principal.userId, key: idempotencyKey, operation: 'notices.create', payload: input },
    async (trx) => {
      const noticeId = uuidv7(now);
      await trx
        .insertInto('notices')
        .values({
          id: noticeId,
          title: input.title.trim(),
          body: input.body.trim(),
          urgent: input.urgent ? 1 : 0,
          audience: JSON.stringify(audience),
          attachments: '[]',
          ...placedColumns(home),
          state: scheduledAt === null ? 'draft' : 'scheduled',
          scheduled_at: scheduledAt,
          sent_at: null,
          expires_at: input.expiresAt ? Date.parse(input.expiresAt) : null,
          recipients: 0,
          created_by: principal.userId,
          created_at: now,
        })
        .execute();
      await recordAudit(trx, actor, { action: 'notices.create', targetType: 'notice', targetId: noticeId, regionId: home.regionId }, now);
      return noticeId;
    },
  );
  return toNotice((await findNotice(deps.db, id)) as NoticeTable);
}

/** A picture or PDF attached to a draft, checked by its content. */
export async function attach(deps: Deps, principal: Principal, actor: Actor, id: string, name: string, data: Buffer): Promise<Notice> {
  const row = await authorsNotice(deps, principal, id);
  if (row.state !== 'draft') throw new AppError('invalid_transition', {}, { state: row.state, action: 'attach' });
  const checked = await checkDocument(data);
  const now = deps.now();
  const fileId = uuidv7(now);
  const key = `notices/${id}/${fileId}${checked.contentType === 'application/pdf' ? '.pdf' : '.jpg'}`;
  await deps.files.put(key, checked.data);
  await deps.db.transaction().execute(async (trx) => {
    const current = (await findNotice(trx, id)) as NoticeTable;
    const attachments = [...(JSON.parse(current.attachments) as Attachment[]), { id: fileId, name, contentType: checked.contentType, key }];
    await trx
      .updateTable('notices')
      .set({ attachments: JSON.stringify(attachments) })
      .where('id', '=', id)
      .execute();
    await recordAudit(trx, actor, { action: 'notices.attach', targetType: 'notice', targetId: id, regionId: row.region_id }, now);
  });
  return toNotice((await findNotice(deps.db, id)) as NoticeTable);
}

/** send (now), schedule (at a time) or cancel a notice not yet sent. */
export async function changeNotice(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  id: string,
  input: { action: 'send' | 'schedule' | 'cancel'; scheduledAt?: string },
): Promise<Notice> {
  const row = await authorsNotice(deps, principal, id);
  const from = input.action === 'cancel' ? ['draft', 'scheduled'] : ['draft', 'scheduled'];
  if (!from.includes(row.state)) throw new AppError('invalid_transition', {}, { state: row.state, action: input.action });
  const now = deps.now();
  if (input.action === 'schedule' && !input.scheduledAt)
    throw new AppError('validation_failed', {}, { field: 'scheduledAt', problem: 'required' });
  const changes =
    input.action === 'cancel'
      ? { state: 'cancelled' as const }
      : { state: 'scheduled' as const, scheduled_at: input.action === 'send' ? now : Date.parse(input.scheduledAt as string) };
  await deps.db.transaction().execute(async (trx) => {
    const updated = await trx.updateTable('notices').set(changes).where('id', '=', id).where('state', '=', row.state).executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw new AppError('case_busy');
    await recordAudit(trx, actor, { action: `notices.${input.action}`, targetType: 'notice', targetId: id, regionId: row.region_id }, now);
  });
  return toNotice((await findNotice(deps.db, id)) as NoticeTable);
}

type Reached = { personId: string; householdId: string | null; userId: string | null; phone: string | null; villageId: string | null };

/** The people an audience reaches: the members of the chosen households, and the named people. */
async function resolveAudience(db: Kysely<DB>, audience: Audience): Promise<Reached[]> {
  const inPlaces = audience.regionIds.length > 0 || audience.gridIds.length > 0;
  const rows = await db
    .selectFrom('people as p')
    .leftJoin('households as h', 'h.id', 'p.household_id')
    .leftJoin('users as u', 'u.person_id', 'p.id')
    .select(['p.id as person_id', 'p.household_id', 'u.id as user_id', 'p.phone', 'p.village_id'])
    .where((eb) => {
      const places = [];
      if (audience.regionIds.length > 0) {
        for (const column of ['h.region_id', 'h.village_id', 'h.township_id', 'h.county_id'] as const)
          places.push(eb(column, 'in', audience.regionIds));
      }
      if (audience.gridIds.length > 0) {
        places.push(eb('h.region_id', 'in', eb.selectFrom('grid_groups').select('region_id').where('grid_id', 'in', audience.gridIds)));
      }
      let chosen = inPlaces ? eb.and([eb('p.household_id', 'is not', null), eb.or(places)]) : sql<boolean>`1 = 0`;
      if (inPlaces && audience.traits.length > 0) {
        const withTrait = [
          eb('h.id', 'in', eb.selectFrom('household_traits').select('household_id').where('trait', 'in', audience.traits)),
        ];
        if (audience.traits.includes('hasElder')) {
          withTrait.push(
            eb('h.id', 'in', eb.selectFrom('care_elders').select('household_id').where('household_id', 'is not', null) as never),
          );
        }
        chosen = eb.and([chosen, eb.or(withTrait)]);
      }
      return audience.personIds.length > 0 ? eb.or([chosen, eb('p.id', 'in', audience.personIds)]) : chosen;
    })
    .execute();
  return rows.map((r) => ({
    personId: r.person_id,
    householdId: r.household_id,
    userId: r.user_id,
    phone: r.phone,
    villageId: r.village_id,
  }));
}

/**
 * The push job: each notice that is due is sent to everyone it reaches, 200 people to a
 * transaction. A person's row is written once; the message in their inbox (and, if urgent, their
 * text) goes out in the same transaction, only when the row is new: a push picked up again after a
 * restart reaches the rest and nobody twice. Urgent notices are queued for each village's
 * loudspeakers, once per village.
 */
export async function pushDueNotices(deps: Deps): Promise<number> {
  const now = deps.now();
  const due = await deps.db
    .selectFrom('notices')
    .selectAll()
    .where((eb) => eb.or([eb.and([eb('state', '=', 'scheduled'), eb('scheduled_at', '<=', now)]), eb('state', '=', 'sending')]))
    .orderBy('scheduled_at')
    .limit(20)
    .execute();
  for (const row of due) {
    await deps.db.updateTable('notices').set({ state: 'sending' }).where('id', '=', row.id).execute();
    const notice = toNotice(row);
    const reached = await resolveAudience(deps.db, notice.audience);
    const message = {
      topic: 'notices.notice',
      subjectType: 'notice',
      subjectId: notice.id,
      zh: `【${notice.urgent ? '紧急通知' : '政务信息'}】${notice.title}`,
      en: `[${notice.urgent ? 'Urgent notice' : 'Government information'}] ${notice.title}`,
    };
    for (let start = 0; start < reached.length; start += 200) {
      await deps.db.transaction().execute(async (trx) => {
        for (const person of reached.slice(start, start + 200)) {
          const inserted = await trx
            .insertInto('notice_recipients')
            .values({
              notice_id: notice.id,
              person_id: person.personId,
              household_id: person.householdId,
              user_id: person.userId,
              delivered_at: now,
              read_at: null,
            })
            .onConflict((oc) => oc.columns(['notice_id', 'person_id']).doNothing())
            .executeTakeFirst();
          if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) continue;
          if (person.userId) await notify(trx, { userId: person.userId }, message, now);
          if (notice.urgent && person.phone) {
            await notify(
              trx,
              { phone: person.phone },
              { ...message, zh: `${message.zh}：${notice.body.slice(0, 60)}`, en: `${message.en}: ${notice.body.slice(0, 60)}` },
              now,
            );
          }
        }
      });
    }
    if (notice.urgent) {
      const villages = [...new Set(reached.map((r) => r.villageId).filter((v): v is string => v !== null))];
      for (const villageId of villages) {
        await deps.db
          .insertInto('notice_broadcasts')
          .values({
            id: uuidv7(now),
            notice_id: notice.id,
            village_id: villageId,
            text: `${notice.title}。${notice.body}`,
            state: 'queued',
            created_at: now,
            fetched_at: null,
            played_at: null,
          })
          .onConflict((oc) => oc.columns(['notice_id', 'village_id']).doNothing())
          .execute();
      }
    }
    const count = await deps.db
      .selectFrom('notice_recipients')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('notice_id', '=', notice.id)
      .executeTakeFirstOrThrow();
    await deps.db
      .updateTable('notices')
      .set({ state: 'sent', sent_at: now, recipients: Number(count.n) })
      .where('id', '=', notice.id)
      .execute();
  }
  return due.length;
}

// ---- Villagers ----------------------------------------------------------------------------------

export type InboxItem = { id: string; title: string; urgent: boolean; sentAt: number; read: boolean };

/** The notices that reached me and have not expired, newest first, with the unread count. */
export async function inbox(deps: Deps, principal: Principal): Promise<{ items: InboxItem[]; unread: number }> {
  const now = deps.now();
  const rows = await deps.reader
    .selectFrom('notice_recipients as r')
    .innerJoin('notices as n', 'n.id', 'r.notice_id')
    .select(['n.id', 'n.title', 'n.urgent', 'n.sent_at', 'r.read_at'])
    .where('r.user_id', '=', principal.userId)
    .where((eb) => eb.or([eb('n.expires_at', 'is', null), eb('n.expires_at', '>', now)]))
    .orderBy('n.id', 'desc')
    .limit(200)
    .execute();
  const items = rows.map((r) => ({
    id: r.id,
    title: r.title,
    urgent: r.urgent === 1,
    sentAt: r.sent_at as number,
    read: r.read_at !== null,
  }));
  return { items, unread: items.filter((i) => !i.read).length };
}

/** Opens a notice that reached me (marking it read), or one of my own place as its author's side. */
export async function openNotice(deps: Deps, principal: Principal, id: string): Promise<Notice> {
  const row = await findNotice(deps.reader, id);
  if (!row) throw notFound('notice');
  const mine = await deps.reader
    .selectFrom('notice_recipients')
    .select(['person_id', 'read_at'])
    .where('notice_id', '=', id)
    .where('user_id', '=', principal.userId)
    .executeTakeFirst();
  if (!mine && !allows(principal, 'notices.write', toNotice(row).placement)) throw notFound('notice');
  if (mine && mine.read_at === null) {
    await deps.db
      .updateTable('notice_recipients')
      .set({ read_at: deps.now() })
      .where('notice_id', '=', id)
      .where('person_id', '=', mine.person_id)
      .where('read_at', 'is', null)
      .execute();
  }
  return toNotice(row);
}

export async function attachmentOf(deps: Deps, principal: Principal, id: string, fileId: string) {
  await openNotice(deps, principal, id);
  const row = (await findNotice(deps.reader, id)) as NoticeTable;
  const attachment = (JSON.parse(row.attachments) as Attachment[]).find((a) => a.id === fileId);
  const data = attachment && (await deps.files.get(attachment.key));
  if (!attachment || !data) throw notFound('file');
  return { data, contentType: attachment.contentType };
}

// ---- Authors ------------------------------------------------------------------------------------

export async function listNotices(deps: Deps, principal: Principal): Promise<Notice[]> {
  const rows = await deps.reader
    .selectFrom('notices as n')
    .selectAll('n')
    .where(inScope(scopeFor(principal, 'notices.write'), { table: 'n' }))
    .orderBy('n.id', 'desc')
    .limit(200)
    .execute();
  return rows.map((r) => toNotice(r as NoticeTable));
}

export type HouseholdReceipt = { householdId: string; headName: string; members: number; read: number; firstReadAt: number | null };

/** Delivery and read receipts per household: who got it, who read it, and who has not. */
export async function receipts(
  deps: Deps,
  principal: Principal,
  id: string,
): Promise<{ notice: Notice; households: HouseholdReceipt[]; people: number; read: number }> {
  const notice = toNotice(await authorsNotice(deps, principal, id));
  const rows = await deps.reader
    .selectFrom('notice_recipients as r')
    .leftJoin('households as h', 'h.id', 'r.household_id')
    .select(['r.household_id', 'h.head_name', 'r.read_at'])
    .where('r.notice_id', '=', id)
    .execute();
  const households = new Map<string, HouseholdReceipt>();
  for (const r of rows) {
    const key = r.household_id ?? '';
    const entry = households.get(key) ?? { householdId: key, headName: r.head_name ?? '—', members: 0, read: 0, firstReadAt: null };
    entry.members++;
    if (r.read_at !== null) {
      entry.read++;
      entry.firstReadAt = entry.firstReadAt === null ? r.read_at : Math.min(entry.firstReadAt, r.read_at);
    }
    households.set(key, entry);
  }
  return {
    notice,
    households: [...households.values()].sort((a, b) => a.read - b.read || a.headName.localeCompare(b.headName)),
    people: rows.length,
    read: rows.filter((r) => r.read_at !== null).length,
  };
}

// ---- Loudspeakers ---------------------------------------------------------------------------------

export async function registerLoudspeaker(deps: Deps, principal: Principal, actor: Actor, villageId: string, name: string) {
  const placement = await placementOfRegion(deps.reader, villageId);
  if (!placement || placement.villageId !== villageId) throw notFound('region');
  authorize(principal, 'notices.write', placement, 'region');
  const key = `spk_${randomBytes(24).toString('base64url')}`;
  const id = await insertLoudspeaker(deps.db, villageId, name, key, deps.now());
  await recordAudit(
    deps.db,
    actor,
    { action: 'notices.loudspeaker.register', targetType: 'loudspeaker', targetId: id, regionId: villageId },
    deps.now(),
  );
  return { id, key };
}

export async function insertLoudspeaker(db: Kysely<DB>, villageId: string, name: string, key: string, now: number): Promise<string> {
  const id = uuidv7(now);
  await db
    .insertInto('village_loudspeakers')
    .values({ id, village_id: villageId, name, key_hash: hashToken(key), created_at: now })
    .execute();
  return id;
}

async function loudspeakerFor(deps: Deps, key: string) {
  const speaker = await deps.reader
    .selectFrom('village_loudspeakers')
    .select(['id', 'village_id'])
    .where('key_hash', '=', hashToken(key))
    .executeTakeFirst();
  if (!speaker) throw new AppError('not_authenticated');
  return speaker;
}

/** A loudspeaker fetches what its village should hear (text to speak), oldest first. */
export async function pollBroadcasts(deps: Deps, key: string) {
  const speaker = await loudspeakerFor(deps, key);
  const now = deps.now();
  const rows = await deps.db
    .selectFrom('notice_broadcasts')
    .select(['id', 'text'])
    .where('village_id', '=', speaker.village_id)
    .where('state', 'in', ['queued', 'fetched'])
    .orderBy('id')
    .limit(10)
    .execute();
  if (rows.length > 0) {
    await deps.db
      .updateTable('notice_broadcasts')
      .set({ state: 'fetched', fetched_at: now })
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .where('state', '=', 'queued')
      .execute();
  }
  return rows.map((r) => ({ id: r.id, kind: 'speak' as const, text: r.text }));
}

export async function broadcastPlayed(deps: Deps, key: string, id: string): Promise<void> {
  const speaker = await loudspeakerFor(deps, key);
  const result = await deps.db
    .updateTable('notice_broadcasts')
    .set({ state: 'played', played_at: deps.now() })
    .where('id', '=', id)
    .where('village_id', '=', speaker.village_id)
    .where('state', '!=', 'played')
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) {
    const exists = await deps.reader
      .selectFrom('notice_broadcasts')
      .select('id')
      .where('id', '=', id)
      .where('village_id', '=', speaker.village_id)
      .executeTakeFirst();
    if (!exists) throw notFound('broadcast');
  }
}
