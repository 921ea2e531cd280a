// Builders for test data, with overrides; they go through repositories so a test sets up only
// what it needs and then exercises the API.

import { randomBytes, scryptSync } from 'node:crypto';
import { maskIdNumber } from '@cunzhi/contracts/id-number';
import type { Role } from '@cunzhi/contracts/roles';
import { accountCredentials } from '../src/modules/auth/credentials.service.ts';
import { insertHousehold } from '../src/modules/org/households.repository.ts';
import { makeIdNumber } from '../src/modules/org/org.demo.ts';
import { insertPerson } from '../src/modules/org/people.repository.ts';
import { insertGrid, insertRegion, type RegionRecord } from '../src/modules/org/regions.repository.ts';
import { insertRoleAssignment, insertUser } from '../src/modules/org/users.repository.ts';
import type { Deps } from '../src/platform/deps.ts';
import { uuidv7 } from '../src/platform/ids.ts';

export const PASSWORD = 'Passw0rd2026';
/**
 * The test users' password hash, in the format platform/passwords.ts stores (scrypt$N$r$p$salt$hash)
 * but at a sixteenth of its cost (N=1024 instead of 16384): verifyPassword reads the cost from the
 * hash, so every sign-in of a test user still runs the real check, for about 7 ms of CPU instead of
 * 50-100 ms on a CI core; the suite's seeds and tests sign in over and over.
 */
const passwordHash = (() => {
  const salt = randomBytes(16);
  const hash = scryptSync(PASSWORD, salt, 32, { N: 1024, r: 8, p: 1 });
  return ['scrypt', 1024, 8, 1, salt.toString('base64'), hash.toString('base64')].join('$');
})();
let counter = 0;

/** county > 2 townships > 2 villages each > 2 villager groups each, and one grid per village. */
export type Tree = {
  county: RegionRecord;
  townshipA: RegionRecord;
  townshipB: RegionRecord;
  villageA: RegionRecord;
  villageA2: RegionRecord;
  villageB: RegionRecord;
  groupA1: RegionRecord;
  groupA2: RegionRecord;
  groupB1: RegionRecord;
  gridA: string;
};

export async function buildTree(deps: Deps): Promise<Tree> {
  const now = deps.now();
  const add = (code: string, name: string, level: RegionRecord['level'], parent?: RegionRecord) =>
    insertRegion(deps.db, { id: uuidv7(), code, name, level, parent }, now);
  const county = await add('500242', '酉阳县', 'county');
  const townshipA = await add('500242105', '黑水镇', 'township', county);
  const townshipB = await add('500242208', '花田乡', 'township', county);
  const villageA = await add('500242105201', '平地坝村', 'village', townshipA);
  const villageA2 = await add('500242105202', '另一村', 'village', townshipA);
  const villageB = await add('500242208201', '何家岩村', 'village', townshipB);
  const groupA1 = await add('500242105201001', '平地坝村一组', 'villagerGroup', villageA);
  const groupA2 = await add('500242105201002', '平地坝村二组', 'villagerGroup', villageA);
  const groupB1 = await add('500242208201001', '何家岩村一组', 'villagerGroup', villageB);
  const gridA = uuidv7();
  await insertGrid(deps.db, { id: gridA, name: '平地坝村第1网格', villageId: villageA.id, regionIds: [groupA1.id] }, now);
  return { county, townshipA, townshipB, villageA, villageA2, villageB, groupA1, groupA2, groupB1, gridA };
}

export async function buildUser(
  deps: Deps,
  overrides: { role?: Role; region: RegionRecord; gridId?: string; personId?: string; phone?: string; name?: string },
): Promise<{ id: string; phone: string }> {
  counter++;
  const id = uuidv7();
  const phone = overrides.phone ?? `139${String(10_000_000 + counter).padStart(8, '0')}`;
  await insertUser(
    deps.db,
    { id, phone, displayName: overrides.name ?? `用户${counter}`, personId: overrides.personId ?? null },
    deps.now(),
  );
  await accountCredentials.setPassword(deps.db, id, passwordHash, deps.now(), false);
  if (overrides.role) {
    await insertRoleAssignment(
      deps.db,
      { id: uuidv7(), userId: id, role: overrides.role, regionId: overrides.region.id, gridId: overrides.gridId ?? null },
      deps.now(),
    );
  }
  return { id, phone };
}

export async function buildHousehold(
  deps: Deps,
  overrides: { region: RegionRecord; headName?: string; number?: string },
): Promise<{ id: string; number: string }> {
  counter++;
  const id = uuidv7();
  const number = overrides.number ?? `${overrides.region.code}-T${String(counter).padStart(5, '0')}`;
  await insertHousehold(
    deps.db,
    id,
    { number, headName: overrides.headName ?? `户主${counter}`, address: null, phone: null, placement: overrides.region.placement },
    deps.now(),
  );
  return { id, number };
}

export function validIdNumber(birthDate = '1960-05-17', male = true): string {
  counter++;
  return makeIdNumber('500242', birthDate, counter, male);
}

export async function buildPerson(
  deps: Deps,
  overrides: { region: RegionRecord; householdId?: string; name?: string; idNumber?: string; phone?: string },
): Promise<{ id: string; idNumber: string }> {
  counter++;
  const id = uuidv7();
  const idNumber = overrides.idNumber ?? validIdNumber();
  await insertPerson(
    deps.db,
    id,
    {
      householdId: overrides.householdId ?? null,
      name: overrides.name ?? `村民${counter}`,
      gender: null,
      birthDate: null,
      relation: null,
      phone: overrides.phone ?? null,
      idNumber: { sealed: deps.vault.encrypt(idNumber), hash: deps.vault.blindIndex(idNumber), masked: maskIdNumber(idNumber) },
      placement: { ...overrides.region.placement, householdId: overrides.householdId ?? null },
    },
    deps.now(),
  );
  return { id, idNumber };
}
