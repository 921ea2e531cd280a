// Notices (推送政务信息): a cadre writes government information, chooses who should get it (places,
// grids, households with a trait, named people), schedules it and pushes it. Each person is
// reached once — a push resumed after a restart repeats nobody — in the app with unread counts,
// urgent ones also by text and read aloud by the village loudspeakers. The cadre sees delivery and
// read receipts per household and who has not read it.
// This file holds writing and reading notices; the audience is notices-audiences.service.ts, the
// push job notices-push.service.ts, the loudspeakers notices-loudspeakers.service.ts.
import type { NoticeAudience, NoticeInput, NoticeTransition } from '@cunzhi/contracts/notices';
import { allows, type Placement, type Principal, scopeFor } from '../../platform/access.ts';
import { type Actor, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { checkDocument } from '../../platform/documents.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { runIdempotent } from '../../platform/idempotency.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { markNoticeMessageRead } from '../notifications/notifications.service.ts';
import { headNamesOf } from '../org/households.service.ts';
import type { Audience, NoticeRecord } from './notices.repository.ts';
import * as repo from './notices.repository.ts';
import { audienceSize, checkAudience, placementOfRegion } from './notices-audiences.service.ts';
import { inboxOrder } from './notices-inbox-order.ts';
import { NOTICE_DUE_EVENT, pushNotice } from './notices-push.service.ts';
import * as recipients from './notices-recipients.repository.ts';

export type { NoticeRecord } from './notices.repository.ts';

/** The notice as its author's side sees it: only in the scope of their notices.write. */
async function authorsNotice(deps: Deps, principal: Principal, id: string): Promise<NoticeRecord> {
  const notice = await repo.findNotice(deps.reader, id);
  if (!notice || !allows(principal, 'notices.write', notice.placement)) throw notFound('notice');
  return notice;
}

/** The notice belongs to the place of the author's first assignment that may push notices. */
async function authorsHome(deps: Deps, principal: Principal): Promise<{ regionId: string; home: Placement }> {
  for (const assignment of principal.assignments) {
    const home = await placementOfRegion(deps, assignment.regionId);
    if (allows(principal, 'notices.write', home)) return { regionId: assignment.regionId, home };
  }
  throw new AppError('forbidden');
}

/** The audience as given, within the author's scope; no places, grids or people named: the author's own place. */
async function checkedAudience(deps: Deps, principal: Principal, input: NoticeAudience, ownRegionId: string): Promise<Audience> {
  const audience: Audience = {
    regionIds: input.regionIds ?? [],
    gridIds: input.gridIds ?? [],
    traits: input.traits ?? [],
    personIds: input.personIds ?? [],
  };
  if (audience.regionIds.length === 0 && audience.gridIds.length === 0 && audience.personIds.length === 0)
    audience.regionIds = [ownRegionId];
  await checkAudience(deps, principal, audience);
  return audience;
}

/** A notice that would reach nobody is stopped before it is sent or scheduled, never shown as sent to 0. */
async function refuseEmptyAudience(deps: Deps, audience: Audience): Promise<void> {
  if ((await audienceSize(deps, audience)).people === 0) throw new AppError('notice_reaches_nobody');
}

/** How many people and households an audience would reach now: the desk shows it before sending. */
export async function previewAudience(
  deps: Deps,
  principal: Principal,
  input: NoticeAudience,
): Promise<{ people: number; households: number }> {
  const own = await authorsHome(deps, principal);
  return audienceSize(deps, await checkedAudience(deps, principal, input, own.regionId));
}

export async function createNotice(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  /** Sent at once (send), at a time (scheduledAt), or kept as a draft (neither). */
  input: NoticeInput,
  idempotencyKey: string | undefined,
): Promise<NoticeRecord> {
  const own = await authorsHome(deps, principal);
  const audience = await checkedAudience(deps, principal, input.audience, own.regionId);
  const now = deps.now();
  const scheduledAt = input.send ? now : input.scheduledAt ? Date.parse(input.scheduledAt) : null;
  if (scheduledAt !== null && scheduledAt < now - 60_000)
    throw new AppError('validation_failed', {}, { field: 'scheduledAt', problem: 'in the past' });
  if (scheduledAt !== null) await refuseEmptyAudience(deps, audience);
  const id = await runIdempotent(
    deps.db,
    { principalId: principal.userId, key: idempotencyKey, operation: 'notices.create', payload: input },
    async (trx) => {
      const notice = await repo.insertNotice(trx, {
        id: uuidv7(now),
        title: input.title.trim(),
        body: input.body.trim(),
        urgent: input.urgent,
        audience,
        attachments: [],
        state: scheduledAt === null ? 'draft' : 'scheduled',
        scheduledAt,
        sentAt: null,
        expiresAt: input.expiresAt ? Date.parse(input.expiresAt) : null,
        recipients: 0,
        createdBy: principal.userId,
        createdAt: now,
        placement: own.home,
      });
      await recordAudit(
        trx,
        actor,
        { action: 'notices.create', targetType: 'notice', targetId: notice.id, regionId: own.home.regionId },
        now,
      );
      return notice.id;
    },
  );
  // A repeated request answers with the notice the first one made.
  const made = (await repo.findNotice(deps.db, id)) as NoticeRecord;
  if (input.send) announceDue(deps, made);
  return made;
}

/**
 * Tells the desks of the notice's place and the push job (jobs.ts, jobWakers) that a notice is due
 * now: it goes out at once instead of at the job's next tick. Only its id and state are in the event.
 */
function announceDue(deps: Deps, notice: NoticeRecord): void {
  if (notice.state !== 'scheduled') return;
  deps.events.publish({
    type: NOTICE_DUE_EVENT,
    permission: 'notices.write',
    placement: notice.placement,
    data: { id: notice.id, state: notice.state },
  });
}

/** A picture or PDF attached to a draft, checked by its content. */
export async function attach(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  id: string,
  name: string,
  data: Buffer,
): Promise<NoticeRecord> {
  const notice = await authorsNotice(deps, principal, id);
  if (notice.state !== 'draft') throw new AppError('invalid_transition', {}, { state: notice.state, action: 'attach' });
  const checked = await checkDocument(data);
  const now = deps.now();
  const fileId = uuidv7(now);
  const key = `notices/${id}/${fileId}${checked.contentType === 'application/pdf' ? '.pdf' : '.jpg'}`;
  await deps.files.put(key, checked.data);
  return deps.db.transaction().execute(async (trx) => {
    const current = (await repo.findNotice(trx, id)) as NoticeRecord;
    const attached = await repo.setAttachments(trx, id, [
      ...current.attachments,
      { id: fileId, name, contentType: checked.contentType, key },
    ]);
    await recordAudit(
      trx,
      actor,
      { action: 'notices.attach', targetType: 'notice', targetId: id, regionId: notice.placement.regionId },
      now,
    );
    return attached;
  });
}

/** send (now), schedule (at a time) or cancel a notice not yet sent. */
export async function changeNotice(
  deps: Deps,
  principal: Principal,
  actor: Actor,
  id: string,
  input: NoticeTransition,
): Promise<NoticeRecord> {
  const notice = await authorsNotice(deps, principal, id);
  if (notice.state !== 'draft' && notice.state !== 'scheduled')
    throw new AppError('invalid_transition', {}, { state: notice.state, action: input.action });
  const now = deps.now();
  if (input.action === 'schedule' && !input.scheduledAt)
    throw new AppError('validation_failed', {}, { field: 'scheduledAt', problem: 'required' });
  if (input.action !== 'cancel') await refuseEmptyAudience(deps, notice.audience);
  const to =
    input.action === 'cancel'
      ? { state: 'cancelled' as const }
      : { state: 'scheduled' as const, scheduledAt: input.action === 'send' ? now : Date.parse(input.scheduledAt as string) };
  const changed = await deps.db.transaction().execute(async (trx) => {
    const record = await repo.changeState(trx, id, notice.state, to);
    if (!record) throw new AppError('case_busy');
    await recordAudit(
      trx,
      actor,
      { action: `notices.${input.action}`, targetType: 'notice', targetId: id, regionId: notice.placement.regionId },
      now,
    );
    return record;
  });
  if (input.action === 'send') announceDue(deps, changed);
  return changed;
}

// ---- Villagers ----------------------------------------------------------------------------------

export type InboxItem = recipients.InboxRow;

/** The notices that reached me and have not expired, urgent unread first, then newest first (notices-inbox-order.ts), with the unread count. */
export async function inbox(deps: Deps, principal: Principal): Promise<{ items: InboxItem[]; unread: number }> {
  const items = inboxOrder(await recipients.listInbox(deps.reader, principal.userId, deps.now(), 200));
  return { items, unread: items.filter((i) => !i.read).length };
}

/** Opens a notice that reached me (marking it read), or one of my own place as its author's side. */
export async function openNotice(deps: Deps, principal: Principal, id: string): Promise<NoticeRecord> {
  const notice = await repo.findNotice(deps.reader, id);
  if (!notice) throw notFound('notice');
  const mine = await recipients.findUsersReceipt(deps.reader, id, principal.userId);
  if (!mine && !allows(principal, 'notices.write', notice.placement)) throw notFound('notice');
  if (mine && mine.readAt === null) {
    // Read here, the message in 消息 that announced it is read too: it is not left "unread" there.
    const now = deps.now();
    await deps.db.transaction().execute(async (trx) => {
      await recipients.markRead(trx, id, mine.personId, now);
      await markNoticeMessageRead(trx, principal.userId, id, now);
    });
  }
  return notice;
}

export async function attachmentOf(deps: Deps, principal: Principal, id: string, fileId: string) {
  const notice = await openNotice(deps, principal, id);
  const attachment = notice.attachments.find((a) => a.id === fileId);
  const data = attachment && (await deps.files.get(attachment.key));
  if (!attachment || !data) throw notFound('file');
  return { data, contentType: attachment.contentType };
}

// ---- Authors ------------------------------------------------------------------------------------

export function listNotices(deps: Deps, principal: Principal): Promise<NoticeRecord[]> {
  return repo.listInScope(deps.reader, scopeFor(principal, 'notices.write'), 200);
}

export type HouseholdReceipt = { householdId: string; headName: string; members: number; read: number; firstReadAt: number | null };

/** Delivery and read receipts per household: who got it, who read it, and who has not. */
export async function receipts(
  deps: Deps,
  principal: Principal,
  id: string,
): Promise<{ notice: NoticeRecord; households: HouseholdReceipt[]; people: number; read: number }> {
  const notice = await authorsNotice(deps, principal, id);
  const rows = await recipients.listReceipts(deps.reader, id);
  const names = await headNamesOf(deps, [...new Set(rows.map((r) => r.householdId).filter((h): h is string => h !== null))]);
  const households = new Map<string, HouseholdReceipt>();
  for (const r of rows) {
    const key = r.householdId ?? '';
    const entry = households.get(key) ?? { householdId: key, headName: names.get(key) ?? '—', members: 0, read: 0, firstReadAt: null };
    entry.members++;
    if (r.readAt !== null) {
      entry.read++;
      entry.firstReadAt = entry.firstReadAt === null ? r.readAt : Math.min(entry.firstReadAt, r.readAt);
    }
    households.set(key, entry);
  }
  return {
    notice,
    households: [...households.values()].sort((a, b) => a.read - b.read || a.headName.localeCompare(b.headName)),
    people: rows.length,
    read: rows.filter((r) => r.readAt !== null).length,
  };
}

// ---- Other modules ------------------------------------------------------------------------------

export type HouseholdNotice = {
  /** Chosen by the caller, so that asking again with the same id sends nothing twice. */
  id: string;
  title: string;
  body: string;
  householdIds: string[];
  /** What the households were chosen by (agri's crops and animals), said in the notice's audience. */
  subjects?: string[];
  /** The place the notice belongs to (its authors' side sees it there) and who it is from. */
  placement: Placement;
  createdBy: string;
  expiresAt: number | null;
};

/**
 * A notice to every member of an explicit list of households (agri's advice: the households a rule
 * concerns), pushed at once with the usual read receipts. Idempotent by id: a notice that exists
 * already is pushed again, which reaches only those it has not reached yet. System use: the caller
 * decides who may cause it.
 */
export async function sendToHouseholds(deps: Deps, input: HouseholdNotice): Promise<NoticeRecord> {
  const now = deps.now();
  let notice = await repo.findNotice(deps.db, input.id);
  if (!notice) {
    const record: NoticeRecord = {
      id: input.id,
      title: input.title,
      body: input.body,
      urgent: false,
      audience: {
        regionIds: [],
        gridIds: [],
        traits: [],
        personIds: [],
        householdIds: [...new Set(input.householdIds)],
        subjects: input.subjects ?? [],
      },
      attachments: [],
      state: 'scheduled',
      scheduledAt: now,
      sentAt: null,
      expiresAt: input.expiresAt,
      recipients: 0,
      createdBy: input.createdBy,
      createdAt: now,
      placement: input.placement,
    };
    // A twin call inserting the same id first: then its notice is this one.
    notice = await repo.insertNotice(deps.db, record).catch(async (error: unknown) => {
      const inserted = await repo.findNotice(deps.db, input.id);
      if (!inserted) throw error;
      return inserted;
    });
  }
  if (notice.state === 'scheduled' || notice.state === 'sending') await pushNotice(deps, notice, now);
  return (await repo.findNotice(deps.db, input.id)) as NoticeRecord;
}

/** For each of these notices, the households where someone has opened it (system use). */
export async function householdsThatRead(deps: Deps, noticeIds: readonly string[]): Promise<Map<string, Set<string>>> {
  const read = new Map<string, Set<string>>();
  for (const id of new Set(noticeIds)) {
    const rows = await recipients.listReceipts(deps.reader, id);
    read.set(id, new Set(rows.filter((r) => r.readAt !== null && r.householdId !== null).map((r) => r.householdId as string)));
  }
  return read;
}
