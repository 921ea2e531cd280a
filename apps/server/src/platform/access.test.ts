import { describe, expect, it } from 'vitest';
import { type Assignment, allows, hasPermission, mayAssignRole, type Placement, type Principal, scopeFor } from './access.ts';

const place = (ids: Partial<Placement> & { regionId: string }): Placement => ({
  villageId: null,
  townshipId: null,
  countyId: 'C',
  ...ids,
});
const groupInA = place({ regionId: 'GA1', villageId: 'VA', townshipId: 'TA' });
const otherGroupInA = place({ regionId: 'GA2', villageId: 'VA', townshipId: 'TA' });
const groupInB = place({ regionId: 'GB1', villageId: 'VB', townshipId: 'TB' });

function principal(...assignments: Partial<Assignment>[]): Principal {
  return {
    userId: 'u',
    displayName: 'x',
    phone: '13800000000',
    personId: null,
    householdId: 'H1',
    assignments: assignments.map((a, i) => ({
      id: `a${i}`,
      role: 'villageCadre',
      regionId: 'VA',
      regionLevel: 'village',
      regionName: '',
      gridId: null,
      gridRegionIds: [],
      ...a,
    })),
  };
}

describe('access decisions', () => {
  it('a village role reaches its village and nothing beside it', () => {
    const cadre = principal({});
    expect(allows(cadre, 'org.write', groupInA)).toBe(true);
    expect(allows(cadre, 'org.read', groupInB)).toBe(false);
    expect(allows(cadre, 'org.readIdNumber', groupInA)).toBe(false);
  });

  it('a grid role reaches only the groups of its grid', () => {
    const worker = principal({ role: 'gridWorker', gridId: 'G', gridRegionIds: ['GA1'] });
    expect(allows(worker, 'org.read', groupInA)).toBe(true);
    expect(allows(worker, 'org.read', otherGroupInA)).toBe(false);
    expect(allows(worker, 'org.write', groupInA)).toBe(false);
  });

  it('a villager reaches their own household only, wherever the role is held', () => {
    const villager = principal({ role: 'villager' });
    expect(allows(villager, 'org.read', { ...groupInA, householdId: 'H1' })).toBe(true);
    expect(allows(villager, 'org.read', { ...groupInA, householdId: 'H2' })).toBe(false);
    expect(scopeFor(villager, 'org.read')).toMatchObject({ householdIds: ['H1'], villageIds: [] });
  });

  it('roles add up, each within its own region', () => {
    const both = principal({ role: 'villageCadre', regionId: 'VA' }, { role: 'serviceHallAgent', regionId: 'TB', regionLevel: 'township' });
    expect(allows(both, 'org.readIdNumber', groupInB)).toBe(true);
    expect(allows(both, 'org.readIdNumber', groupInA)).toBe(false);
    expect(allows(both, 'org.write', groupInB)).toBe(false);
  });

  it('a county admin reaches the whole county; nobody else reads the audit log', () => {
    const admin = principal({ role: 'countyAdmin', regionId: 'C', regionLevel: 'county' });
    expect(allows(admin, 'org.readIdNumber', groupInB)).toBe(true);
    expect(hasPermission(admin, 'audit.read')).toBe(true);
    expect(hasPermission(principal({ role: 'townshipOfficial', regionId: 'TA', regionLevel: 'township' }), 'audit.read')).toBe(false);
  });

  it('a user without roles reaches nothing', () => {
    expect(allows(principal(), 'org.read', groupInA)).toBe(false);
  });

  it('only a county admin hands out county admin', () => {
    const official = principal({ role: 'townshipOfficial', regionId: 'TA', regionLevel: 'township' });
    expect(mayAssignRole(official, 'villageCadre', groupInA)).toBe(true);
    expect(mayAssignRole(official, 'countyAdmin', groupInA)).toBe(false);
    expect(mayAssignRole(official, 'villageCadre', groupInB)).toBe(false);
  });
});
