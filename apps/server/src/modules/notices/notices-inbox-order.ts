// The order of a villager's notices (通知): an urgent notice not yet read comes first, whatever
// came after it (a flood warning must not sink under the week's routine notices); then newest
// first. Read, an urgent notice takes its place by date like any other.

export type InboxEntry = { id: string; urgent: boolean; read: boolean; sentAt: number };

const pinned = (entry: InboxEntry) => entry.urgent && !entry.read;

/** Urgent unread first, then newest sent first (ties: the later id first). */
export function inboxOrder<T extends InboxEntry>(entries: readonly T[]): T[] {
  return [...entries].sort(
    (a, b) => Number(pinned(b)) - Number(pinned(a)) || b.sentAt - a.sentAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
  );
}
