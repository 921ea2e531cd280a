// What the reporter is told at each step, in both languages. The reporter hears about the steps
// that change what they wait for, not the handler's internal notes.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { type Message, notify, type Recipient } from '../notifications/notifications.service.ts';
import type { CaseState } from './case-workflow.ts';
import type { CaseRecord } from './cases.repository.ts';

type Template = { zh: (c: CaseRecord) => string; en: (c: CaseRecord) => string };

const STEP_MESSAGES: Partial<Record<string, Template>> = {
  create: {
    zh: (c) => `您反映的事项“${c.title}”已受理，编号${c.number}。`,
    en: (c) => `Your report "${c.title}" was received as number ${c.number}.`,
  },
  assign: {
    zh: (c) => `事项${c.number}已交办处理。`,
    en: (c) => `Case ${c.number} has been assigned for handling.`,
  },
  answerOnSpot: {
    zh: (c) => `事项${c.number}已现场解释答疑，请评价。`,
    en: (c) => `Case ${c.number} was answered on the spot; please rate the answer.`,
  },
  accept: {
    zh: (c) => `事项${c.number}已有专人办理。`,
    en: (c) => `Someone is now handling case ${c.number}.`,
  },
  handle: {
    zh: (c) => `事项${c.number}已办理完毕，等待答复。`,
    en: (c) => `Case ${c.number} has been dealt with; a reply follows.`,
  },
  reply: {
    zh: (c) => `事项${c.number}已答复，请查看并评价，如有异议可在规定期限内提出。`,
    en: (c) => `Case ${c.number} has been replied to; please read and rate it, or object within the allowed days.`,
  },
  close: { zh: (c) => `事项${c.number}已办结。`, en: (c) => `Case ${c.number} is closed.` },
  reopen: { zh: (c) => `事项${c.number}已重新办理。`, en: (c) => `Case ${c.number} has been reopened.` },
  object: {
    zh: (c) => `已收到您对事项${c.number}的异议，事项重新办理。`,
    en: (c) => `Your objection to case ${c.number} was received; it is being handled again.`,
  },
  transfer: { zh: (c) => `事项${c.number}已转交他人办理。`, en: (c) => `Case ${c.number} was passed to another handler.` },
  reroute: { zh: (c) => `事项${c.number}已调整分类并重新交办。`, en: (c) => `Case ${c.number} was re-routed under another category.` },
};

/** The reporter, if the case has one who can be reached: in the app, or by text for a caller. */
export function reporterOf(c: CaseRecord): Recipient | undefined {
  if (c.reporterUserId) return { userId: c.reporterUserId };
  if (c.reporterPhone) return { phone: c.reporterPhone };
  return undefined;
}

/** Tells the reporter about a step of their case; a rating that reopens it is a reopen to them. */
export async function tellReporter(db: Kysely<DB>, c: CaseRecord, action: string, to: CaseState, now: number): Promise<void> {
  const template = STEP_MESSAGES[action === 'rate' && to !== 'closed' ? 'reopen' : action];
  const recipient = reporterOf(c);
  if (!template || !recipient) return;
  await notify(db, recipient, caseMessage(c, template), now);
}

/** Everyone whose report was merged into this case hears the outcome too. */
export async function tellMergedReporters(db: Kysely<DB>, merged: CaseRecord[], target: CaseRecord, action: string, now: number) {
  const template = STEP_MESSAGES[action];
  if (!template) return;
  for (const c of merged) {
    const recipient = reporterOf(c);
    if (!recipient) continue;
    await notify(
      db,
      recipient,
      {
        topic: 'case.merged_outcome',
        subjectType: 'case',
        subjectId: c.id,
        zh: `您反映的事项${c.number}已并入事项${target.number}办理。${template.zh(target)}`,
        en: `Your case ${c.number} was merged into case ${target.number}. ${template.en(target)}`,
      },
      now,
    );
  }
}

export function mergedMessage(c: CaseRecord, target: CaseRecord): Message {
  return {
    topic: 'case.merged',
    subjectType: 'case',
    subjectId: c.id,
    zh: `您反映的事项${c.number}与事项${target.number}为同一问题，已合并办理，结果将一并告知您。`,
    en: `Your case ${c.number} reports the same problem as case ${target.number}; they are handled together and you will hear the outcome.`,
  };
}

function caseMessage(c: CaseRecord, template: Template): Message {
  return { topic: 'case.step', subjectType: 'case', subjectId: c.id, zh: template.zh(c), en: template.en(c) };
}

export function handlerMessage(c: CaseRecord, kind: 'reminder' | 'overdue'): Message {
  return kind === 'reminder'
    ? {
        topic: 'case.reminder',
        subjectType: 'case',
        subjectId: c.id,
        zh: `提醒：事项${c.number}“${c.title}”即将到期，请及时办理。`,
        en: `Reminder: case ${c.number} "${c.title}" is due soon.`,
      }
    : {
        topic: 'case.overdue',
        subjectType: 'case',
        subjectId: c.id,
        zh: `事项${c.number}“${c.title}”已超期，已报告上级。`,
        en: `Case ${c.number} "${c.title}" is overdue; supervisors have been told.`,
      };
}
