// Whitelists what leaves the server: never a sealed ID number, a hash or a password hash.
import type { Household, Person, Region, User } from '@cunzhi/contracts/org';
import { allows, type Principal } from '../../platform/access.ts';
import { presentAssignment } from '../../platform/assignment-presenter.ts';
import { localDate, localDay, toIso, toIsoOrNull } from '../../platform/time.ts';
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

/** Whole years from a birth date (YYYY-MM-DD) to a day (YYYY-MM-DD). */
export function ageOn(birthDate: string, today: string): number {
  const years = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return today.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

/**
 * Who reads a person: the birth date is given only to a role that may reveal the full ID number
 * there (org.readIdNumber: county admin, township official, service-hall agent); others get the age.
 * The birth date is 8 of the number's 18 characters and the region is known from the register, so
 * beside a masked number it brings the number within a few guesses (security recheck, item 1).
 */
export function personPresenter(principal: Principal, now: number): (p: PersonRecord) => Person {
  const today = localDate(localDay(now));
  return (p) => presentPerson(p, allows(principal, 'org.readIdNumber', p.placement), today);
}

const presentPerson = (p: PersonRecord, mayRevealIdNumber: boolean, today: string): Person => ({
  id: p.id,
  householdId: p.householdId,
  name: p.name,
  gender: p.gender,
  birthDate: mayRevealIdNumber ? p.birthDate : null,
  age: p.birthDate === null ? null : ageOn(p.birthDate, today),
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
