// The read cache's key of a page of households names each part unambiguously (security review, item 4).
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../platform/access.ts';
import { listKey } from './households.service.ts';

const principal: Principal = { userId: 'u1', displayName: '冉', phone: '13900000000', personId: null, householdId: null, assignments: [] };

describe('the key of a kept page of households', () => {
  it('tells ?q=冉|CURSOR from ?q=冉&cursor=CURSOR|', () => {
    const searched = listKey(principal, { q: '冉|CURSOR' });
    const paged = listKey(principal, { q: '冉', cursor: 'CURSOR|' });
    expect(searched).not.toBe(paged);
  });

  it('is the same for the same query', () => {
    expect(listKey(principal, { q: '冉', cursor: 'C', limit: 20 })).toBe(listKey(principal, { q: ' 冉 ', cursor: 'C' }));
  });
});
