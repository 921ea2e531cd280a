// What the applicant and the department are told as an application moves. Messages are written in
// the transaction of the step they tell of; how to reach the applicant is looked up before it.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Deps } from '../../platform/deps.ts';
import { notify, type Recipient } from '../notifications/notifications.service.ts';
import { contactsOfPeople } from '../org/people.service.ts';
import type { ApplicationState } from './application-workflow.ts';
import type { Application } from './applications.repository.ts';

const STATE_WORDS: Record<ApplicationState, [string, string]> = {
  submitted: ['已提交，等待受理', 'has been submitted and waits to be accepted'],
  accepted: ['已受理', 'has been accepted'],
  moreMaterials: ['需补充材料', 'needs more materials'],
  approved: ['已办结（通过）', 'has been approved'],
  refused: ['未予通过', 'was refused'],
  delivered: ['已送达', 'has been delivered'],
};

/** The applicant hears of each step: in the app when they have an account, else by text to their phone. */
export async function applicantRecipient(deps: Deps, personId: string): Promise<Recipient | null> {
  const [contact] = await contactsOfPeople(deps, [personId]);
  if (contact?.userId) return { userId: contact.userId };
  return contact?.phone ? { phone: contact.phone } : null;
}

export async function tellApplicant(
  db: Kysely<DB>,
  recipient: Recipient | null,
  application: { id: string; itemName: string },
  state: ApplicationState,
  note: string | null,
  now: number,
): Promise<void> {
  if (!recipient) return;
  const [zh, en] = STATE_WORDS[state];
  const { itemName } = application;
  await notify(
    db,
    recipient,
    {
      topic: 'services.application',
      subjectType: 'serviceApplication',
      subjectId: application.id,
      zh: `【政务服务】您申请的“${itemName}”${zh}${note ? `：${note}` : '。'}`,
      en: `[Government services] Your application for "${itemName}" ${en}${note ? `: ${note}` : '.'}`,
    },
    now,
  );
}

export async function tellHandlersOfOverdue(db: Kysely<DB>, handlerIds: string[], application: Application, now: number): Promise<void> {
  for (const userId of handlerIds) {
    await notify(
      db,
      { userId },
      {
        topic: 'services.overdue',
        subjectType: 'serviceApplication',
        subjectId: application.id,
        zh: `【政务服务】${application.applicantName}申请的“${application.itemName}”已超过承诺时限，请尽快办理。`,
        en: `[Government services] ${application.applicantName}'s application for "${application.itemName}" is past its promised time.`,
      },
      now,
    );
  }
}
