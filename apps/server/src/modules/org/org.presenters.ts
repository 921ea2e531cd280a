// Whitelists what leaves the server: never a sealed ID number, a hash or a password hash.
import type { Household, Person, Region, User } from '@cunzhi/contracts/org';
import { presentAssignment } from '../../platform/assignment-presenter.ts';
import { toIso, toIsoOrNull } from '../../platform/time.ts';
import type { HouseholdRecord } from './households.repository.ts';
import type { PersonRecord } from './people.repository.ts';
import type { RegionRecord } from './regions.repository.ts';
import type { UserRecord } from './users.service.ts';

export const presentRegion = (r: RegionRecord & { childCount: number }): Region => ({
  id: r.id,
  code: r.code,
  name: r.name,
  nameEn: r.nameEn,
  level: r.level,
  parentId: r.parentId,
  childCount: r.childCount,
});

export const presentHousehold = (h: HouseholdRecord): Household => ({
  id: h.id,
  number: h.number,
  headName: h.headName,
  address: h.address,
  phone: h.phone,
  regionId: h.placement.regionId,
  regionName: h.regionName,
  villageId: h.placement.villageId,
  townshipId: h.placement.townshipId,
  memberCount: h.memberCount,
  createdAt: toIso(h.createdAt),
  updatedAt: toIso(h.updatedAt),
});

export const presentPerson = (p: PersonRecord): Person => ({
  id: p.id,
  householdId: p.householdId,
  name: p.name,
  gender: p.gender,
  birthDate: p.birthDate,
  relation: p.relation,
  phone: p.phone,
  idNumberMasked: p.idNumberMasked,
  regionId: p.placement.regionId,
  regionName: p.regionName,
  createdAt: toIso(p.createdAt),
  updatedAt: toIso(p.updatedAt),
});

export const presentUser = (u: UserRecord): User => ({
  id: u.id,
  phone: u.phone,
  displayName: u.displayName,
  personId: u.personId,
  disabled: u.disabled,
  lockedUntil: toIsoOrNull(u.lockedUntil),
  assignments: u.assignments.map(presentAssignment),
  createdAt: toIso(u.createdAt),
});
