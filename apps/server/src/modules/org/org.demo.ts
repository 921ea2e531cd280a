// The demo county, drawn from the seed article: Youyang County, its townships, four villages with
// villager groups and grids, 200+ households, and one account for every role.
import { idNumberCheckChar, maskIdNumber } from '@cunzhi/contracts/id-number';
import type { Role } from '@cunzhi/contracts/roles';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { recordAudit, SYSTEM_ACTOR } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { hashPassword } from '../../platform/passwords.ts';
import { seededRandom } from '../../platform/seeded-random.ts';
import { insertHousehold } from './households.repository.ts';
import { isOrgEmpty } from './org-import.repository.ts';
import { demoRegionShapes } from './org-shapes.demo.ts';
import { idNumberHashes, insertPerson } from './people.repository.ts';
import { setBoundary } from './region-shapes.repository.ts';
import { insertGrid, insertRegion, type RegionRecord } from './regions.repository.ts';
import { insertRoleAssignment, insertUser } from './users.repository.ts';
import type { PasswordSetter } from './users.service.ts';

export const DEMO_PASSWORD = 'Cunzhi2026';

/** The demo accounts, as the README lists them. */
export const DEMO_ACCOUNTS: { phone: string; name: string; role: Role; at: string; grid?: boolean; personName?: string }[] = [
  { phone: '13800000001', name: '县管理员', role: 'countyAdmin', at: '500242' },
  { phone: '13800000002', name: '邹艺', role: 'townshipOfficial', at: '500242208' },
  { phone: '13800000003', name: '胡青松', role: 'villageCadre', at: '500242105201' },
  { phone: '13800000004', name: '白小梅', role: 'gridWorker', at: '500242105201', grid: true },
  { phone: '13800000005', name: '田晓燕', role: 'appealsAgent', at: '500242' },
  { phone: '13800000006', name: '彭建军', role: 'departmentHandler', at: '500242' },
  { phone: '13800000007', name: '杨医生', role: 'doctor', at: '500242208' },
  { phone: '13800000008', name: '石春兰', role: 'caretaker', at: '500242208201' },
  { phone: '13800000009', name: '冉四海', role: 'pointsKeeper', at: '500242110201' },
  { phone: '13800000010', name: '陈晓红', role: 'serviceHallAgent', at: '500242213' },
  { phone: '13800000011', name: '冉鲜荣', role: 'villager', at: '500242105201', personName: '冉鲜荣' },
  { phone: '13800000012', name: '石敦国', role: 'familyMember', at: '500242208201' },
  // The separated duties (README, Separation of duties): each its own account, holding nothing else.
  { phone: '13800000013', name: '系统管理员', role: 'systemAdmin', at: '500242' },
  { phone: '13800000014', name: '安全管理员', role: 'securityAdmin', at: '500242' },
  { phone: '13800000015', name: '审计管理员', role: 'auditAdmin', at: '500242' },
  // Daxi police station's contact for the township: asks for camera pictures as evidence (issue 16).
  { phone: '13800000016', name: '冉警官', role: 'policeLiaison', at: '500242104' },
  // Daxi's township official: registers the market town's cameras and handles their findings (issue 16).
  { phone: '13800000017', name: '向明华', role: 'townshipOfficial', at: '500242104' },
  // Heishui's agricultural extension worker (农技员): Pingdiba's farms, the advice library, questions (issue 17).
  { phone: '13800000018', name: '罗正平', role: 'extensionWorker', at: '500242105' },
  // Daxi's extension worker: the under-forest chickens and orchards of Daxi's 400+ households (issue 17).
  { phone: '13800000019', name: '田茂林', role: 'extensionWorker', at: '500242104' },
];

const TOWNSHIPS = [
  { code: '500242104', name: '大溪镇', nameEn: 'Daxi' },
  { code: '500242105', name: '黑水镇', nameEn: 'Heishui' },
  { code: '500242208', name: '花田乡', nameEn: 'Huatian' },
  { code: '500242110', name: '涂市镇', nameEn: 'Tushi' },
  { code: '500242213', name: '清泉乡', nameEn: 'Qingquan' },
  { code: '500242106', name: '龚滩镇', nameEn: 'Gongtan' },
];

/** Villages with people the article names, who live in them in the demo. */
const VILLAGES = [
  { code: '500242105201', township: '500242105', name: '平地坝村', nameEn: 'Pingdiba', residents: ['冉鲜荣'] },
  { code: '500242208201', township: '500242208', name: '何家岩村', nameEn: 'Hejiayan', residents: ['何易光', '石敦国'] },
  { code: '500242110201', township: '500242110', name: '地灵村', nameEn: 'Diling', residents: ['王国娥', '王丽花', '冉四海'] },
  { code: '500242213201', township: '500242213', name: '清溪村', nameEn: 'Qingxi', residents: ['陈长书'] },
];

/**
 * Daxi (大溪镇), whose platform the seed article reports "keeps watching under-forest chickens and
 * orchards and gives planting and breeding advice to 400+ households". The article names none of
 * its villages: these two names are the demo's own. Loaded after the other modules' demos (the
 * 'daxi' step), so the cases, points and care of the four villages above stay as they were.
 */
export const DAXI_VILLAGES: DemoVillage[] = [
  { code: '500242104201', township: '500242104', name: '林溪村', nameEn: 'Linxi', residents: [] },
  { code: '500242104202', township: '500242104', name: '果坪村', nameEn: 'Guoping', residents: [] },
];
export const DAXI_HOUSEHOLDS_PER_VILLAGE = 215;
/** A householder of each Daxi village, signed in on the phone (villager): they ask the extension worker. */
export const DAXI_VILLAGER_PHONES = ['13800000020', '13800000021'];

const GROUPS_PER_VILLAGE = 4;
const HOUSEHOLDS_PER_VILLAGE = 55;
const GROUP_NAMES = ['一组', '二组', '三组', '四组'];

const SURNAMES = ['冉', '白', '何', '石', '田', '彭', '王', '陈', '胡', '杨', '刘', '张', '李', '黄', '罗', '邹'];
const MALE_NAMES = ['明', '建国', '志强', '国华', '德胜', '永福', '长友', '海军', '光荣', '家顺', '正平', '文'];
const FEMALE_NAMES = ['秀英', '桂兰', '玉梅', '春燕', '丽', '小芳', '翠花', '红霞', '金凤', '冬梅', '素珍', '静'];

/** A valid number: the order code is odd for men and even for women, as on real cards. */
export function makeIdNumber(regionCode: string, birthDate: string, sequence: number, male: boolean): string {
  const order = (sequence % 500) * 2 + (male ? 1 : 0);
  const first17 = `${regionCode}${birthDate.replaceAll('-', '')}${String(order).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
}

export async function isDatabaseEmpty(db: Kysely<DB>): Promise<boolean> {
  return isOrgEmpty(db);
}

type AddRegion = (
  code: string,
  name: string,
  nameEn: string | undefined,
  level: RegionRecord['level'],
  parent?: RegionRecord,
  sortOrder?: number,
) => Promise<RegionRecord>;

/** What loading villages shares: the clock, the random draws, the counts and the ID numbers given so far. */
type VillagePlace = {
  now: number;
  next: () => number;
  addRegion: AddRegion;
  counts: { households: number; people: number; sequence: number };
  personIdsByName: Map<string, { personId: string; householdId: string }>;
  /** Every household head, in the order made. */
  heads: { name: string; personId: string; householdId: string }[];
  /** Blind indexes of the ID numbers given (a person's number is unique). */
  usedIdHashes: Set<string>;
};

type DemoVillage = { code: string; township: string; name: string; nameEn: string; residents: string[] };

/**
 * One village: its villager groups, two grids, `households` households with their members. The
 * random draws are taken in the same order as ever, so the first four villages stay as they were.
 */
async function seedVillage(
  trx: Kysely<DB>,
  deps: Deps,
  v: DemoVillage,
  households: number,
  place: VillagePlace,
  township: RegionRecord | undefined,
): Promise<string[]> {
  const { now, next, addRegion, counts } = place;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const village = await addRegion(v.code, v.name, v.nameEn, 'village', township);
  const groups: RegionRecord[] = [];
  for (let g = 0; g < GROUPS_PER_VILLAGE; g++) {
    const code = `${v.code}${String(g + 1).padStart(3, '0')}`;
    groups.push(await addRegion(code, `${v.name}${GROUP_NAMES[g]}`, `${v.nameEn} group ${g + 1}`, 'villagerGroup', village, g));
  }
  const gridIds: string[] = [];
  for (let k = 0; k < GROUPS_PER_VILLAGE / 2; k++) {
    const gridId = uuidv7(now);
    gridIds.push(gridId);
    const members = groups.slice(k * 2, k * 2 + 2).map((g) => g.id);
    await insertGrid(trx, { id: gridId, name: `${v.name}第${k + 1}网格`, villageId: village.id, regionIds: members }, now);
  }

  for (let h = 0; h < households; h++) {
    const group = groups[h % groups.length] as RegionRecord;
    const surname = pick(SURNAMES);
    const named = v.residents[h];
    const headMale = named ? !['王国娥', '王丽花'].includes(named) : next() < 0.7;
    const headName = named ?? surname + pick(headMale ? MALE_NAMES : FEMALE_NAMES);
    const householdId = uuidv7(now);
    await insertHousehold(
      trx,
      householdId,
      {
        number: `${group.code}-${String(h + 1).padStart(4, '0')}`,
        headName,
        address: `${v.name}${GROUP_NAMES[h % GROUP_NAMES.length]}${h + 1}号`,
        phone: `139${String(23_000_000 + counts.sequence).padStart(8, '0')}`,
        placement: group.placement,
      },
      now,
    );
    counts.households++;

    const headBirthYear = named === '何易光' ? 1939 : 1945 + Math.floor(next() * 40);
    const members: { name: string; male: boolean; year: number; relation: string }[] = [
      { name: headName, male: headMale, year: headBirthYear, relation: 'head' },
    ];
    if (next() < 0.8)
      members.push({
        name: pick(SURNAMES) + pick(headMale ? FEMALE_NAMES : MALE_NAMES),
        male: !headMale,
        year: headBirthYear + 2,
        relation: 'spouse',
      });
    const children = Math.floor(next() * 3);
    for (let c = 0; c < children; c++) {
      const male = next() < 0.5;
      members.push({
        name: surname + pick(male ? MALE_NAMES : FEMALE_NAMES),
        male,
        year: Math.min(headBirthYear + 22 + c * 3, 2020),
        relation: 'child',
      });
    }
    for (const m of members) {
      counts.sequence++;
      const sequence = counts.sequence;
      const birthDate = `${m.year}-${String(1 + Math.floor(next() * 12)).padStart(2, '0')}-${String(1 + Math.floor(next() * 28)).padStart(2, '0')}`;
      let idNumber = makeIdNumber('500242', birthDate, sequence, m.male);
      for (let bump = 1; place.usedIdHashes.has(deps.vault.blindIndex(idNumber)); bump++)
        idNumber = makeIdNumber('500242', birthDate, sequence + bump, m.male);
      const hash = deps.vault.blindIndex(idNumber);
      place.usedIdHashes.add(hash);
      const personId = uuidv7(now);
      await insertPerson(
        trx,
        personId,
        {
          householdId,
          name: m.name,
          gender: m.male ? 'male' : 'female',
          birthDate,
          relation: m.relation,
          phone: m.relation === 'head' ? `138${String(60_000_000 + sequence).padStart(8, '0')}` : null,
          idNumber: { sealed: deps.vault.encrypt(idNumber), hash, masked: maskIdNumber(idNumber) },
          placement: { ...group.placement, householdId },
        },
        now,
      );
      counts.people++;
      if (m.relation === 'head') {
        place.personIdsByName.set(m.name, { personId, householdId });
        place.heads.push({ name: m.name, personId, householdId });
      }
    }
  }
  return gridIds;
}

/**
 * How both loaders write, inside their transaction: a region (noted in `regionsByCode`), an account
 * with the demo password and one role, and the n-th extra grid worker (phone 1380000(1000 + n)).
 */
function demoWriters(
  trx: Kysely<DB>,
  regionsByCode: Map<string, RegionRecord>,
  now: number,
  credentials: PasswordSetter,
  passwordHash: string,
) {
  const addRegion: AddRegion = async (code, name, nameEn, level, parent, sortOrder = 0) => {
    const region = await insertRegion(trx, { id: uuidv7(now), code, name, nameEn, level, parent, sortOrder }, now);
    regionsByCode.set(code, region);
    return region;
  };
  const addUser = async (phone: string, name: string, role: Role, regionCode: string, gridId: string | null, personId: string | null) => {
    const userId = uuidv7(now);
    const region = regionsByCode.get(regionCode) as RegionRecord;
    await insertUser(trx, { id: userId, phone, displayName: name, personId }, now);
    // The demo's published password stays usable: nobody is asked to change it.
    await credentials.setPassword(trx, userId, passwordHash, now, false);
    await insertRoleAssignment(trx, { id: uuidv7(now), userId, role, regionId: region.id, gridId }, now);
  };
  const addGridWorker = (n: number, name: string, villageCode: string, gridId: string) =>
    addUser(`1380000${String(1000 + n)}`, name, 'gridWorker', villageCode, gridId, null);
  return { addRegion, addUser, addGridWorker };
}

export type DemoOrg = { regionsByCode: Map<string, RegionRecord>; householdCount: number; peopleCount: number };

/** `credentials` is auth's (credentials.service.ts accountCredentials): the accounts' passwords are its table. */
export async function seedDemoOrg(deps: Deps, credentials: PasswordSetter): Promise<DemoOrg> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const next = seededRandom(500242);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const now = deps.now();

  return deps.db.transaction().execute(async (trx) => {
    const regionsByCode = new Map<string, RegionRecord>();
    const { addRegion, addUser, addGridWorker } = demoWriters(trx, regionsByCode, now, credentials, passwordHash);

    const county = await addRegion('500242', '酉阳土家族苗族自治县', 'Youyang County', 'county');
    for (const [i, t] of TOWNSHIPS.entries()) await addRegion(t.code, t.name, t.nameEn, 'township', county, i);

    const place: VillagePlace = {
      now,
      next,
      addRegion,
      counts: { households: 0, people: 0, sequence: 0 },
      personIdsByName: new Map(),
      heads: [],
      usedIdHashes: new Set(),
    };
    const personIdsByName = place.personIdsByName;
    const gridsByVillage = new Map<string, string[]>();

    for (const v of VILLAGES) {
      gridsByVillage.set(v.code, await seedVillage(trx, deps, v, HOUSEHOLDS_PER_VILLAGE, place, regionsByCode.get(v.township)));
    }

    // Outlines for the maps (no map tiles from the internet): generated around the places' positions.
    for (const [code, boundary] of demoRegionShapes(VILLAGES, GROUPS_PER_VILLAGE)) {
      const region = regionsByCode.get(code);
      if (region) await setBoundary(trx, region.id, JSON.stringify(boundary), now);
    }

    for (const account of DEMO_ACCOUNTS) {
      const gridId = account.grid ? (gridsByVillage.get(account.at)?.[0] ?? null) : null;
      const personId = account.personName ? (personIdsByName.get(account.personName)?.personId ?? null) : null;
      await addUser(account.phone, account.name, account.role, account.at, gridId, personId);
    }
    // Every other grid has its grid worker too.
    let workerNumber = 0;
    for (const v of VILLAGES) {
      for (const [k, gridId] of (gridsByVillage.get(v.code) ?? []).entries()) {
        if (v.code === '500242105201' && k === 0) continue;
        await addGridWorker(++workerNumber, `${pick(SURNAMES)}${pick(FEMALE_NAMES)}`, v.code, gridId);
      }
    }

    const { households: householdCount, people: peopleCount } = place.counts;
    await recordAudit(trx, SYSTEM_ACTOR, { action: 'demo.seed', details: { householdCount, peopleCount } }, now);
    return { regionsByCode, householdCount, peopleCount };
  });
}

/**
 * Daxi's two villages (DAXI_VILLAGES): groups, grids with their grid workers (numbered after the
 * others'), 430 households with their members, and a signed-in householder in each village. Its
 * own random draws, sequence and ID numbers checked against those already given.
 */
export async function seedDemoDaxi(
  deps: Deps,
  credentials: PasswordSetter,
  regionsByCode: Map<string, RegionRecord>,
): Promise<{ households: number; people: number; householdIds: string[] }> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const next = seededRandom(500242104);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const now = deps.now();
  const usedIdHashes = await idNumberHashes(deps.db);
  return deps.db.transaction().execute(async (trx) => {
    const { addRegion, addUser, addGridWorker } = demoWriters(trx, regionsByCode, now, credentials, passwordHash);
    const place: VillagePlace = {
      now,
      next,
      addRegion,
      // Sequences (phones, ID numbers' order codes) far from the first villages'.
      counts: { households: 0, people: 0, sequence: 20_000 },
      personIdsByName: new Map(),
      heads: [],
      usedIdHashes,
    };
    const gridsByVillage: string[][] = [];
    for (const v of DAXI_VILLAGES) {
      gridsByVillage.push(await seedVillage(trx, deps, v, DAXI_HOUSEHOLDS_PER_VILLAGE, place, regionsByCode.get(v.township)));
    }
    for (const [code, boundary] of demoRegionShapes(DAXI_VILLAGES, GROUPS_PER_VILLAGE)) {
      const region = DAXI_VILLAGES.some((v) => code.startsWith(v.code)) ? regionsByCode.get(code) : undefined;
      if (region) await setBoundary(trx, region.id, JSON.stringify(boundary), now);
    }
    // Grid workers numbered on from the first villages' (all of them but Pingdiba's first grid's).
    let workerNumber = VILLAGES.length * (GROUPS_PER_VILLAGE / 2) - 1;
    for (const [i, v] of DAXI_VILLAGES.entries()) {
      for (const gridId of gridsByVillage[i] ?? []) {
        await addGridWorker(++workerNumber, `${pick(SURNAMES)}${pick(FEMALE_NAMES)}`, v.code, gridId);
      }
    }
    // The first household of each village: its head signs in as a villager.
    for (const [i, v] of DAXI_VILLAGES.entries()) {
      const head = place.heads[i * DAXI_HOUSEHOLDS_PER_VILLAGE];
      if (head) await addUser(DAXI_VILLAGER_PHONES[i] as string, head.name, 'villager', v.code, null, head.personId);
    }
    return { households: place.counts.households, people: place.counts.people, householdIds: place.heads.map((h) => h.householdId) };
  });
}
