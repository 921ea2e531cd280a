// The police liaison's place in the access rules (platform/access.ts): who asks, who decides, who
// appoints a liaison, and what a liaison does not reach.
import { describe, expect, it } from 'vitest';
import { type Assignment, allows, hasPermission, mayAssignRole, type Principal } from '../../platform/access.ts';
import { checkedRange } from './monitoring-evidence.service.ts';

const place = (townshipId: string, villageId: string | null = null) => ({
  regionId: villageId ?? townshipId,
  villageId,
  townshipId,
  countyId: 'C',
});
function principal(...held: Partial<Assignment>[]): Principal {
  return {
    userId: 'u',
    displayName: 'u',
    phone: '13900000000',
    personId: null,
    householdId: null,
    assignments: held.map((a, i) => ({
      id: `a${i}`,
      role: 'policeLiaison',
      regionId: 'TA',
      regionLevel: 'township',
      regionName: 'A',
      gridId: null,
      gridRegionIds: [],
      ...a,
    })),
  };
}

describe('the police liaison in the access rules', () => {
  it('asks about its own township only, and decides nothing', () => {
    const liaison = principal({});
    expect(allows(liaison, 'evidence.request', place('TA', 'VA'))).toBe(true);
    expect(allows(liaison, 'evidence.request', place('TB', 'VB'))).toBe(false);
    expect(hasPermission(liaison, 'evidence.decide')).toBe(false);
    for (const permission of ['monitoring.view', 'monitoring.manage', 'org.read', 'cases.read', 'care.read'] as const) {
      expect(hasPermission(liaison, permission)).toBe(false);
    }
  });

  it('is decided by the township official and the village cadre of the camera’s place', () => {
    const official = principal({ role: 'townshipOfficial' });
    const cadre = principal({ role: 'villageCadre', regionId: 'VA', regionLevel: 'village' });
    const grid = principal({ role: 'gridWorker', regionId: 'VA', regionLevel: 'village' });
    expect(allows(official, 'evidence.decide', place('TA', 'VA'))).toBe(true);
    expect(allows(cadre, 'evidence.decide', place('TA', 'VA'))).toBe(true);
    expect(allows(cadre, 'evidence.decide', place('TA', 'VA2'))).toBe(false);
    expect(allows(official, 'evidence.decide', place('TB', 'VB'))).toBe(false);
    expect(hasPermission(grid, 'evidence.decide')).toBe(false);
    expect(hasPermission(principal({ role: 'countyAdmin', regionId: 'C', regionLevel: 'county' }), 'evidence.request')).toBe(false);
  });

  it('is appointed by the township’s official or the county’s security administrator', () => {
    const liaisonAt = (townshipId: string) => ({
      role: 'policeLiaison' as const,
      regionLevel: 'township' as const,
      placement: place(townshipId),
    });
    expect(mayAssignRole(principal({ role: 'townshipOfficial' }), liaisonAt('TA'))).toBe(true);
    expect(mayAssignRole(principal({ role: 'townshipOfficial' }), liaisonAt('TB'))).toBe(false);
    expect(mayAssignRole(principal({ role: 'securityAdmin', regionId: 'C', regionLevel: 'county' }), liaisonAt('TB'))).toBe(true);
    expect(mayAssignRole(principal({ role: 'villageCadre', regionId: 'VA', regionLevel: 'village' }), liaisonAt('TA'))).toBe(false);
    expect(mayAssignRole(principal({}), liaisonAt('TA'))).toBe(false);
  });
});

describe('the time range of a request', () => {
  const now = Date.parse('2026-12-02T04:00:00Z');
  const range = (from: string, to: string) => () => checkedRange({ from, to }, now);
  it('takes up to 7 days ending no later than now', () => {
    expect(checkedRange({ from: '2026-11-25T04:00:00Z', to: '2026-12-02T04:00:00Z' }, now)).toEqual({
      from: Date.parse('2026-11-25T04:00:00Z'),
      to: now,
    });
  });
  it('refuses the future, more than 7 days, an empty or backwards range and nonsense', () => {
    expect(range('2026-12-02T03:00:00Z', '2026-12-02T04:00:01Z')).toThrow('evidence_range_invalid');
    expect(range('2026-11-25T03:59:59Z', '2026-12-02T04:00:00Z')).toThrow('evidence_range_invalid');
    expect(range('2026-12-01T04:00:00Z', '2026-12-01T04:00:00Z')).toThrow('evidence_range_invalid');
    expect(range('2026-12-01T05:00:00Z', '2026-12-01T04:00:00Z')).toThrow('evidence_range_invalid');
    expect(range('yesterday', '2026-12-01T04:00:00Z')).toThrow('evidence_range_invalid');
  });
});
