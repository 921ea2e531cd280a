// The push job: due notices go out to everyone their audience reaches.
import { NOTICE_DELIVERED_EVENT, type NoticeDelivered } from '@cunzhi/contracts/notices-live';
import type { Deps } from '../../platform/deps.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { type Message, NOTICE_TOPIC, notify } from '../notifications/notifications.service.ts';
import * as repo from './notices.repository.ts';
import { resolveAudience } from './notices-audiences.service.ts';
import { insertBroadcast } from './notices-loudspeakers.repository.ts';
import { countRecipients, insertRecipient } from './notices-recipients.repository.ts';

const PEOPLE_PER_TRANSACTION = 200;

/** The live event of a notice that is due now (sent at once by its author): the push job takes it up. */
export const NOTICE_DUE_EVENT = 'notice.due';

/**
 * Tells the open pages of the people just reached (committed, so their inbox has it) that a notice
 * came: their 通知 list and the home's figure are asked again, without a reload. Only they receive
 * it, whatever anyone's scope, and it carries only the notice's id.
 */
function announceDelivered(deps: Deps, noticeId: string, userIds: string[]): void {
  if (userIds.length === 0) return;
  const data: NoticeDelivered = { id: noticeId };
  deps.events.publish({ type: NOTICE_DELIVERED_EVENT, users: userIds, data });
}

/**
 * Each notice that is due is sent to everyone it reaches, 200 people to a transaction. A person's
 * row is written once; the message in their inbox (and, if urgent, their text) goes out in the
 * same transaction, only when the row is new: a push picked up again after a restart reaches the
 * rest and nobody twice. Urgent notices are queued for each village's loudspeakers, once per village.
 */
export async function pushDueNotices(deps: Deps): Promise<number> {
  const now = deps.now();
  const due = await repo.listDue(deps.db, now, 20);
  for (const notice of due) await pushNotice(deps, notice, now);
  return due.length;
}

/** Sends one due notice to everyone it reaches (see pushDueNotices); again, it reaches only those not yet reached. */
export async function pushNotice(deps: Deps, notice: repo.NoticeRecord, now: number): Promise<void> {
  // Cancelled or moved to later since it was listed (its author acted meanwhile): not sent.
  if (!(await repo.markSending(deps.db, notice.id, now))) return;
  const reached = await resolveAudience(deps, notice.audience);
  // A scheduled notice whose audience emptied since it was scheduled is stopped, not "sent to 0",
  // and its author is told. (One resumed after a restart has recipients already and goes on.)
  if (reached.length === 0 && (await countRecipients(deps.db, notice.id)) === 0) {
    await deps.db.transaction().execute(async (trx) => {
      if (!(await repo.changeState(trx, notice.id, 'sending', { state: 'cancelled' }))) return;
      await notify(
        trx,
        { userId: notice.createdBy },
        {
          topic: 'notices.stopped',
          subjectType: 'notice',
          subjectId: notice.id,
          zh: `定时通知《${notice.title}》发不到任何人（接收范围内没有符合条件的村民），已取消发送。`,
          en: `The scheduled notice "${notice.title}" would reach nobody (no one in its audience fits), so it was not sent.`,
        },
        now,
      );
    });
    return;
  }
  const message: Message = {
    topic: NOTICE_TOPIC,
    subjectType: 'notice',
    subjectId: notice.id,
    // A title that brings its own 【…】 label (the demo's 【农技指导】…) gets none beside it, unless urgent.
    zh: notice.title.startsWith('【') && !notice.urgent ? notice.title : `【${notice.urgent ? '紧急通知' : '政务信息'}】${notice.title}`,
    en:
      notice.title.startsWith('【') && !notice.urgent
        ? notice.title
        : `[${notice.urgent ? 'Urgent notice' : 'Government information'}] ${notice.title}`,
  };
  const text: Message = {
    ...message,
    zh: `${message.zh}：${notice.body.slice(0, 60)}`,
    en: `${message.en}: ${notice.body.slice(0, 60)}`,
  };
  for (let start = 0; start < reached.length; start += PEOPLE_PER_TRANSACTION) {
    const told: string[] = [];
    await deps.db.transaction().execute(async (trx) => {
      for (const person of reached.slice(start, start + PEOPLE_PER_TRANSACTION)) {
        const isNew = await insertRecipient(trx, {
          noticeId: notice.id,
          personId: person.personId,
          householdId: person.householdId,
          userId: person.userId,
          deliveredAt: now,
          readAt: null,
        });
        if (!isNew) continue;
        if (person.userId) {
          await notify(trx, { userId: person.userId }, message, now);
          told.push(person.userId);
        }
        if (notice.urgent && person.phone) await notify(trx, { phone: person.phone }, text, now);
      }
    });
    announceDelivered(deps, notice.id, told);
  }
  if (notice.urgent) {
    const villages = new Set(reached.map((r) => r.villageId).filter((v): v is string => v !== null));
    for (const villageId of villages) {
      await insertBroadcast(deps.db, {
        id: uuidv7(now),
        noticeId: notice.id,
        villageId,
        text: `${notice.title}。${notice.body}`,
        state: 'queued',
        createdAt: now,
      });
    }
  }
  await repo.markSent(deps.db, notice.id, now, await countRecipients(deps.db, notice.id));
}
