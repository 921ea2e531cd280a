import type { Role } from '@cunzhi/contracts/roles';
import { describe, expect, it } from 'vitest';
import type { RegionLevel } from '../db/schema.ts';
import {
  type Assignment,
  accessToUser,
  allows,
  type HeldRole,
  hasPermission,
  mayAssignRole,
  type Placement,
  type Principal,
  scopeFor,
} from './access.ts';

const place = (ids: Partial<Placement> & { regionId: string }): Placement => ({
  villageId: null,
  townshipId: null,
  countyId: 'C',
  ...ids,
});
const groupInA = place({ regionId: 'GA1', villageId: 'VA', townshipId: 'TA' });
const otherGroupInA = place({ regionId: 'GA2', villageId: 'VA', townshipId: 'TA' });
const groupInB = place({ regionId: 'GB1', villageId: 'VB', townshipId: 'TB' });
const county = place({ regionId: 'C' });
const townshipA = place({ regionId: 'TA', townshipId: 'TA' });
const villageA = place({ regionId: 'VA', villageId: 'VA', townshipId: 'TA' });
const villageB = place({ regionId: 'VB', villageId: 'VB', townshipId: 'TB' });
const held = (role: Role, regionLevel: RegionLevel, placement: Placement): HeldRole => ({ role, regionLevel, placement });

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

  it('a county admin reaches the whole county; only the audit administrator reads the audit log (GB/T 22239-2019 8.1.4.3)', () => {
    const admin = principal({ role: 'countyAdmin', regionId: 'C', regionLevel: 'county' });
    expect(allows(admin, 'org.readIdNumber', groupInB)).toBe(true);
    expect(hasPermission(admin, 'audit.read')).toBe(false);
    expect(hasPermission(principal({ role: 'auditAdmin', regionId: 'C', regionLevel: 'county' }), 'audit.read')).toBe(true);
    for (const role of ['systemAdmin', 'securityAdmin', 'townshipOfficial'] as const) {
      expect(hasPermission(principal({ role, regionId: 'C', regionLevel: 'county' }), 'audit.read')).toBe(false);
    }
  });

  it('a user without roles reaches nothing', () => {
    expect(allows(principal(), 'org.read', groupInA)).toBe(false);
  });

  it('only the security administrator hands out township official, and nobody hands out their own level or above', () => {
    const official = principal({ role: 'townshipOfficial', regionId: 'TA', regionLevel: 'township' });
    const admin = principal({ role: 'securityAdmin', regionId: 'C', regionLevel: 'county' });
    expect(mayAssignRole(official, held('villageCadre', 'village', villageA))).toBe(true);
    expect(mayAssignRole(official, held('villageCadre', 'village', villageB))).toBe(false);
    expect(mayAssignRole(official, held('townshipOfficial', 'township', townshipA))).toBe(false);
    expect(mayAssignRole(official, held('countyAdmin', 'county', county))).toBe(false);
    expect(mayAssignRole(admin, held('townshipOfficial', 'township', townshipA))).toBe(true);
    expect(mayAssignRole(admin, held('securityAdmin', 'county', county))).toBe(false);
    expect(mayAssignRole(admin, held('countyAdmin', 'county', county))).toBe(true);
    expect(mayAssignRole(admin, held('countyAdmin', 'county', { ...county, regionId: 'C2', countyId: 'C2' }))).toBe(false);
  });

  it('roles that manage nobody may be given at the manager’s own level', () => {
    const official = principal({ role: 'townshipOfficial', regionId: 'TA', regionLevel: 'township' });
    const admin = principal({ role: 'securityAdmin', regionId: 'C', regionLevel: 'county' });
    expect(mayAssignRole(official, held('serviceHallAgent', 'township', townshipA))).toBe(true);
    expect(mayAssignRole(official, held('doctor', 'township', townshipA))).toBe(true);
    expect(mayAssignRole(admin, held('departmentHandler', 'county', county))).toBe(true);
    expect(mayAssignRole(principal({ role: 'villageCadre' }), held('villager', 'village', villageA))).toBe(false);
  });

  it('a manager manages a user only when it could have given every role the user holds', () => {
    const official = principal({ role: 'townshipOfficial', regionId: 'TA', regionLevel: 'township' });
    const admin = principal({ role: 'securityAdmin', regionId: 'C', regionLevel: 'county' });
    const adminAndDoctor = { assignments: [held('securityAdmin', 'county', county), held('doctor', 'township', townshipA)] };
    expect(accessToUser(official, adminAndDoctor)).toBe('see');
    expect(accessToUser(admin, adminAndDoctor)).toBe('see');
    const spanning = { assignments: [held('gridWorker', 'village', villageA), held('caretaker', 'village', villageB)] };
    expect(accessToUser(official, spanning)).toBe('see');
    expect(accessToUser(admin, spanning)).toBe('manage');
    expect(accessToUser(official, { assignments: [held('caretaker', 'village', villageB)] })).toBe('none');
    expect(accessToUser(official, { assignments: [] })).toBe('assign');
    expect(accessToUser(admin, { assignments: [] })).toBe('manage');
    expect(accessToUser(principal({}), { assignments: [] })).toBe('none');
  });

  it('a manager never manages its own account, which holds its own managing role', () => {
    const both = principal(
      { role: 'townshipOfficial', regionId: 'TA', regionLevel: 'township' },
      { role: 'securityAdmin', regionId: 'C', regionLevel: 'county' },
    );
    const townshipRole = held('townshipOfficial', 'township', townshipA);
    expect(accessToUser(both, { assignments: [townshipRole, held('securityAdmin', 'county', county)] })).toBe('see');
    // Its township role alone is below its county role, as another official's would be.
    expect(accessToUser(both, { assignments: [townshipRole] })).toBe('manage');
  });
});
