// What the notices module processes about people, for the record of processing (privacy-declarations.ts).
import { recordAudit, SYSTEM_ACTOR } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import type { PrivacyDeclaration } from '../privacy/privacy-declaration.ts';
import * as repo from './notices.privacy.repository.ts';

/** Days after a notice expires that its attachments (often lists of names: 公示名单) are kept. */
export const EXPIRED_ATTACHMENT_GRACE_DAYS = 30;

/**
 * Drops the attachments of notices expired longer than the grace period: the references first (in
 * a transaction, audited), then the bytes, so that a failure leaves unreferenced bytes for the next
 * run rather than a notice pointing at nothing.
 */
export async function purgeExpiredAttachments(deps: Deps): Promise<number> {
  const now = deps.now();
  const expired = await repo.expiredWithAttachments(deps.db, now - EXPIRED_ATTACHMENT_GRACE_DAYS * 24 * 3_600_000);
  for (const notice of expired) {
    await deps.db.transaction().execute(async (trx) => {
      await repo.clearAttachments(trx, notice.id);
      await recordAudit(
        trx,
        SYSTEM_ACTOR,
        { action: 'privacy.purge', targetType: 'notice', targetId: notice.id, details: { module: 'notices', files: notice.keys.length } },
        now,
      );
    });
    for (const key of notice.keys) await deps.files.remove(key);
  }
  return expired.length;
}

export const noticesPrivacy: PrivacyDeclaration = {
  module: 'notices',
  activities: [
    {
      name: '通知推送与回执 / Notices and read receipts',
      dataCategories: ['recipient', 'read time'],
      subjects: 'residents chosen as an audience',
      purpose: 'deliver government information and know who read it',
      legalBasis: 'publicInterest',
      sensitive: false,
      retention: 'receipts kept with the notice; attachments removed 30 days after the notice expires',
      recipients: ['village cadre', 'township official'],
    },
  ],
  purges: [{ name: 'expiredAttachments', everyMs: 3_600_000, run: purgeExpiredAttachments }],
  exportPerson: async (deps, person) => ({ receipts: await repo.receiptsOf(deps.reader, person.id) }),
};
