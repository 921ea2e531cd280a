import type { Principal } from '../../platform/access.ts';
import type { Deps } from '../../platform/deps.ts';
import { notFound } from '../../platform/errors.ts';
import { decodeCursor, type Page, toPage } from '../../platform/pagination.ts';

export type InboxItem = {
  id: string;
  topic: string;
  subjectType: string | null;
  subjectId: string | null;
  messageZh: string;
  messageEn: string;
  createdAt: number;
  readAt: number | null;
};

export async function listMine(
  deps: Deps,
  principal: Principal,
  query: { limit?: number; cursor?: string },
): Promise<{ page: Page<InboxItem>; unread: number }> {
  const limit = query.limit ?? 20;
  const before = decodeCursor(query.cursor, ['text'])?.[0];
  let rows = deps.reader
    .selectFrom('notifications')
    .select(['id', 'topic', 'subject_type', 'subject_id', 'message_zh', 'message_en', 'created_at', 'read_at'])
    .where('user_id', '=', principal.userId);
  if (before !== undefined) rows = rows.where('id', '<', before);
  const [items, unread] = await Promise.all([
    rows
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute(),
    deps.reader
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', principal.userId)
      .where('read_at', 'is', null)
      .executeTakeFirstOrThrow(),
  ]);
  const mapped = items.map((r) => ({
    id: r.id,
    topic: r.topic,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    messageZh: r.message_zh,
    messageEn: r.message_en,
    createdAt: r.created_at,
    readAt: r.read_at,
  }));
  return { page: toPage(mapped, limit, (n) => [n.id]), unread: Number(unread.n) };
}

/** Someone else's message is not found, never marked. */
export async function markRead(deps: Deps, principal: Principal, id: string): Promise<void> {
  const result = await deps.db
    .updateTable('notifications')
    .set({ read_at: deps.now() })
    .where('id', '=', id)
    .where('user_id', '=', principal.userId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) {
    const mine = await deps.db
      .selectFrom('notifications')
      .select('id')
      .where('id', '=', id)
      .where('user_id', '=', principal.userId)
      .executeTakeFirst();
    if (!mine) throw notFound('notification');
  }
}

export async function markAllRead(deps: Deps, principal: Principal): Promise<void> {
  await deps.db
    .updateTable('notifications')
    .set({ read_at: deps.now() })
    .where('user_id', '=', principal.userId)
    .where('read_at', 'is', null)
    .execute();
}
