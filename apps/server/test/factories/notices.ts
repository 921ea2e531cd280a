// Notices: a notice of the author's own place (a village by default), kept as a draft or sent at
// once, made by a cadre or official through the notices service.
import type { NoticeInput } from '@cunzhi/contracts/notices';
import { createNotice, listNotices, type NoticeRecord } from '../../src/modules/notices/notices.service.ts';
import { pushDueNotices } from '../../src/modules/notices/notices-push.service.ts';
import type { Deps } from '../../src/platform/deps.ts';
import { actingAs, nextNumber } from './acting.ts';

/**
 * A notice by `by`; `published` sends it now to its audience (the author's place unless named) and
 * runs the push job, as the server's job would within the minute, so that it is in the inboxes.
 */
export async function buildNotice(
  deps: Deps,
  overrides: { by: string; published?: boolean } & Partial<Omit<NoticeInput, 'send'>>,
): Promise<NoticeRecord> {
  const { by, published, ...input } = overrides;
  const { principal, actor } = await actingAs(deps, by);
  const notice = await createNotice(
    deps,
    principal,
    actor,
    {
      title: `测试通知${nextNumber()}`,
      body: '本周六上午九点在村委会开会。',
      urgent: false,
      audience: {},
      ...input,
      send: published === true,
    },
    undefined,
  );
  if (!published) return notice;
  await pushDueNotices(deps);
  return (await listNotices(deps, principal)).find((n) => n.id === notice.id) ?? notice;
}
