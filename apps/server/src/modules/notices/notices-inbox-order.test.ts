import { describe, expect, it } from 'vitest';
import { inboxOrder } from './notices-inbox-order.ts';

const entry = (id: string, sentAt: number, urgent = false, read = false) => ({ id, sentAt, urgent, read });

describe('the order of a villager’s notices', () => {
  it('puts urgent unread notices first, newest of them first, then the rest newest first', () => {
    const ordered = inboxOrder([
      entry('a', 1, true),
      entry('b', 5),
      entry('c', 3, true),
      entry('d', 4, false, true),
      entry('e', 2, true, true),
    ]);
    expect(ordered.map((e) => e.id)).toEqual(['c', 'a', 'b', 'd', 'e']);
  });

  it('orders by the time sent, not by when a notice was written (a scheduled one goes out later)', () => {
    expect(inboxOrder([entry('0-written-first', 9), entry('1-written-later', 2)]).map((e) => e.id)).toEqual([
      '0-written-first',
      '1-written-later',
    ]);
  });
});
