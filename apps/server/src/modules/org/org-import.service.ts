// A county's places and people from the spreadsheets it already keeps: its townships, villages,
// villager groups, grids and households (county-setup.service.ts makes the county first).
// Every import checks all rows first and reports each problem with its line; with any problem
// nothing is written, otherwise the whole file goes in one transaction.
import { idNumberFacts, maskIdNumber } from '@cunzhi/contracts/id-number';
import { RELATIONS } from '@cunzhi/contracts/org';
import type { RegionLevel } from '../../db/schema.ts';
import { type Actor, recordAudit, SYSTEM_ACTOR } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, type ErrorCode } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { explainUniqueViolation } from '../../platform/unique-violation.ts';
import { insertHousehold } from './households.repository.ts';
import * as repo from './org-import.repository.ts';
import type { Columns, Sheet } from './org-import.sheet.ts';
import { insertPerson } from './people.repository.ts';
import { checkedIdNumber } from './people.service.ts';
import { insertGrid, insertRegion, type RegionRecord } from './regions.repository.ts';

/** One problem of one row; the message is the error catalogue's, in Chinese and English. */
export type ImportProblem = { line: number; field: string; code: ErrorCode; params?: Record<string, string | number> };
export type ImportResult = { imported: number; people?: number };

/** The command line acts for nobody signed in: the audit trail says so. */
export const CLI_ACTOR: Actor = { ...SYSTEM_ACTOR, roles: 'cli' };

const ANY_PHONE = /^[0-9+\-() ]{5,20}$/;

function refuseIfProblems(sheet: Sheet, problems: ImportProblem[]): void {
  const missing: ImportProblem[] = sheet.missingColumns.map((column) => ({
    line: 1,
    field: column,
    code: 'import_field_missing',
    params: { column },
  }));
  // Without a required column every row would repeat it: the header is the one problem then.
  const all = missing.length > 0 ? missing : [...problems].sort((a, b) => a.line - b.line);
  if (all.length > 0) throw new AppError('import_failed', { count: all.length }, { problems: all });
}

export const REGION_COLUMNS = {
  code: ['区划代码', '代码', 'code'],
  name: ['名称', '区划名称', 'name'],
  nameEn: ['英文名称', '英文名', 'name_en', 'nameEn'],
} as const satisfies Columns;

/** The statistical division codes under a county: 3 more digits per level; groups follow the same rule. */
const LEVEL_BY_LENGTH: Record<number, RegionLevel> = { 9: 'township', 12: 'village', 15: 'villagerGroup' };

/** Townships, villages and villager groups, each level told by its code's length, in any order. */
export async function importRegions(deps: Deps, sheet: Sheet, actor: Actor = CLI_ACTOR): Promise<ImportResult> {
  const known = await repo.regionsByCode(deps.db);
  const problems: ImportProblem[] = [];
  const inFile = new Map<string, { line: number; name: string; nameEn?: string; order: number }>();
  for (const [order, row] of sheet.rows.entries()) {
    const code = row.get('code');
    const name = row.get('name');
    const nameEn = row.get('nameEn');
    const problem = (field: string, errorCode: ErrorCode, params?: Record<string, string | number>) =>
      problems.push({ line: row.line, field, code: errorCode, ...(params && { params }) });
    if (!name) problem(REGION_COLUMNS.name[0], 'import_field_missing', { column: REGION_COLUMNS.name[0] });
    else if (name.length > 40 || nameEn.length > 80)
      problem(REGION_COLUMNS.name[0], 'import_field_invalid', { column: REGION_COLUMNS.name[0] });
    if (!code) {
      problem(REGION_COLUMNS.code[0], 'import_field_missing', { column: REGION_COLUMNS.code[0] });
      continue;
    }
    if (!/^\d+$/.test(code) || !LEVEL_BY_LENGTH[code.length] || code.endsWith('000')) {
      problem(REGION_COLUMNS.code[0], 'region_code_invalid');
      continue;
    }
    if (known.has(code) || inFile.has(code)) {
      problem(REGION_COLUMNS.code[0], 'region_code_taken');
      continue;
    }
    inFile.set(code, { line: row.line, name, nameEn: nameEn || undefined, order });
  }
  for (const [code, row] of inFile) {
    const parent = code.slice(0, -3);
    if (!known.has(parent) && !inFile.has(parent)) {
      problems.push({ line: row.line, field: REGION_COLUMNS.code[0], code: 'region_parent_unknown', params: { digits: parent.length } });
    }
  }
  refuseIfProblems(sheet, problems);

  // Parents before children: shorter codes first.
  const ordered = [...inFile.entries()].sort(([a], [b]) => a.length - b.length || a.localeCompare(b));
  return deps.db.transaction().execute(async (trx) => {
    const now = deps.now();
    for (const [code, row] of ordered) {
      const parent = known.get(code.slice(0, -3)) as RegionRecord;
      const level = LEVEL_BY_LENGTH[code.length] as RegionLevel;
      const region = await explainUniqueViolation('region_code_taken', () =>
        insertRegion(trx, { id: uuidv7(now), code, name: row.name, nameEn: row.nameEn, level, parent, sortOrder: row.order }, now),
      );
      known.set(code, region);
    }
    await recordAudit(trx, actor, { action: 'org.import', details: { kind: 'regions', count: ordered.length } }, now);
    return { imported: ordered.length };
  });
}

export const GRID_COLUMNS = {
  village: ['村代码', '村区划代码', 'village_code', 'village'],
  name: ['网格名称', '网格', 'name'],
  groups: ['村民小组代码', '小组代码', 'group_codes', 'groups'],
} as const satisfies Columns;

/** Grids of a village, each over some of its villager groups (codes separated by commas or spaces). */
export async function importGrids(deps: Deps, sheet: Sheet, actor: Actor = CLI_ACTOR): Promise<ImportResult> {
  const known = await repo.regionsByCode(deps.db);
  const taken = await repo.gridKeys(deps.db);
  const problems: ImportProblem[] = [];
  const grids: { name: string; village: RegionRecord; groups: RegionRecord[] }[] = [];
  for (const row of sheet.rows) {
    const problem = (field: string, errorCode: ErrorCode, params?: Record<string, string | number>) =>
      problems.push({ line: row.line, field, code: errorCode, ...(params && { params }) });
    const name = row.get('name');
    const village = known.get(row.get('village'));
    const codes = row
      .get('groups')
      .split(/[\s,，;；、|]+/)
      .filter(Boolean);
    if (!name) problem(GRID_COLUMNS.name[0], 'import_field_missing', { column: GRID_COLUMNS.name[0] });
    else if (name.length > 40) problem(GRID_COLUMNS.name[0], 'import_field_invalid', { column: GRID_COLUMNS.name[0] });
    if (!row.get('village')) problem(GRID_COLUMNS.village[0], 'import_field_missing', { column: GRID_COLUMNS.village[0] });
    else if (!village) problem(GRID_COLUMNS.village[0], 'not_found', { target: 'region' });
    else if (village.level !== 'village') problem(GRID_COLUMNS.village[0], 'region_level_mismatch');
    if (codes.length === 0) problem(GRID_COLUMNS.groups[0], 'import_field_missing', { column: GRID_COLUMNS.groups[0] });
    const groups = codes.map((code) => known.get(code));
    if (village && groups.some((g) => g?.level !== 'villagerGroup' || g.parentId !== village.id)) {
      problem(GRID_COLUMNS.groups[0], 'import_field_invalid', { column: GRID_COLUMNS.groups[0] });
    }
    if (village && name) {
      const key = `${village.id}/${name}`;
      if (taken.has(key)) problem(GRID_COLUMNS.name[0], 'grid_name_taken');
      taken.add(key);
      grids.push({ name, village, groups: groups.filter((g): g is RegionRecord => g !== undefined) });
    }
  }
  refuseIfProblems(sheet, problems);
  return deps.db.transaction().execute(async (trx) => {
    const now = deps.now();
    for (const grid of grids) {
      await insertGrid(trx, { id: uuidv7(now), name: grid.name, villageId: grid.village.id, regionIds: grid.groups.map((g) => g.id) }, now);
    }
    await recordAudit(trx, actor, { action: 'org.import', details: { kind: 'grids', count: grids.length } }, now);
    return { imported: grids.length };
  });
}

export const HOUSEHOLD_COLUMNS = {
  number: ['户号', 'household_number', 'number'],
  region: ['区划代码', '所属区划代码', '村民小组代码', 'region_code'],
  name: ['姓名', 'name'],
  relation: ['与户主关系', '关系', 'relation'],
  idNumber: ['公民身份号码', '身份证号', '身份证号码', 'id_number'],
  phone: ['联系电话', '电话', '手机号', 'phone'],
  address: ['地址', '住址', 'address'],
} as const satisfies Columns;

/** The words a household register (户口簿) uses for a member's relation to the head. */
const RELATION_WORDS: Record<string, (typeof RELATIONS)[number]> = {
  户主: 'head',
  本人: 'head',
  配偶: 'spouse',
  妻: 'spouse',
  夫: 'spouse',
  妻子: 'spouse',
  丈夫: 'spouse',
  子: 'child',
  女: 'child',
  儿子: 'child',
  女儿: 'child',
  子女: 'child',
  长子: 'child',
  次子: 'child',
  长女: 'child',
  次女: 'child',
  儿媳: 'childInLaw',
  女婿: 'childInLaw',
  父亲: 'parent',
  母亲: 'parent',
  父母: 'parent',
  孙子: 'grandchild',
  孙女: 'grandchild',
  孙子女: 'grandchild',
  外孙子: 'grandchild',
  外孙女: 'grandchild',
  兄弟姐妹: 'sibling',
  兄: 'sibling',
  弟: 'sibling',
  姐: 'sibling',
  妹: 'sibling',
  其他: 'other',
  ...Object.fromEntries(RELATIONS.map((r) => [r.toLowerCase(), r])),
};

type Member = {
  line: number;
  name: string;
  relation: (typeof RELATIONS)[number];
  idNumber: string | null;
  phone: string | null;
  address: string;
  regionCode: string;
};

/** One row per person, grouped into households by their number; the head's row gives the household's name and phone. */
export async function importHouseholds(deps: Deps, sheet: Sheet, actor: Actor = CLI_ACTOR): Promise<ImportResult> {
  const known = await repo.regionsByCode(deps.db);
  const problems: ImportProblem[] = [];
  const households = new Map<string, Member[]>();
  const hashes = new Map<string, number>();
  for (const row of sheet.rows) {
    const problem = (column: keyof typeof HOUSEHOLD_COLUMNS, errorCode: ErrorCode, params?: Record<string, string | number>) =>
      problems.push({ line: row.line, field: HOUSEHOLD_COLUMNS[column][0], code: errorCode, ...(params && { params }) });
    const required = (column: keyof typeof HOUSEHOLD_COLUMNS, max: number) => {
      const value = row.get(column);
      if (!value) problem(column, 'import_field_missing', { column: HOUSEHOLD_COLUMNS[column][0] });
      else if (value.length > max) problem(column, 'import_field_invalid', { column: HOUSEHOLD_COLUMNS[column][0] });
      return value;
    };
    const number = required('number', 40);
    const name = required('name', 40);
    const regionCode = required('region', 15);
    const region = known.get(regionCode);
    if (regionCode && !region) problem('region', 'not_found', { target: 'region' });
    else if (region && region.level !== 'village' && region.level !== 'villagerGroup') problem('region', 'region_level_mismatch');
    const relation = RELATION_WORDS[row.get('relation').toLowerCase()];
    if (!relation)
      problem('relation', row.get('relation') ? 'import_field_invalid' : 'import_field_missing', { column: HOUSEHOLD_COLUMNS.relation[0] });
    const phone = row.get('phone');
    if (phone && !ANY_PHONE.test(phone)) problem('phone', 'import_field_invalid', { column: HOUSEHOLD_COLUMNS.phone[0] });
    const address = row.get('address');
    if (address.length > 200) problem('address', 'import_field_invalid', { column: HOUSEHOLD_COLUMNS.address[0] });
    let idNumber: string | null = null;
    if (row.get('idNumber')) {
      try {
        // The same check and normalisation as a person entered by hand.
        idNumber = checkedIdNumber(row.get('idNumber'));
        const hash = deps.vault.blindIndex(idNumber);
        if (hashes.has(hash)) problem('idNumber', 'id_number_taken');
        hashes.set(hash, row.line);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        problem('idNumber', error.code);
      }
    }
    if (!number || !name || !relation) continue;
    const members = households.get(number) ?? [];
    members.push({ line: row.line, name, relation, idNumber, phone: phone || null, address, regionCode });
    households.set(number, members);
  }
  for (const hash of await repo.existingIdNumberHashes(deps.db, [...hashes.keys()])) {
    problems.push({ line: hashes.get(hash) as number, field: HOUSEHOLD_COLUMNS.idNumber[0], code: 'id_number_taken' });
  }
  const taken = await repo.existingHouseholdNumbers(deps.db, [...households.keys()]);
  for (const [number, members] of households) {
    const first = members[0] as Member;
    if (taken.has(number)) problems.push({ line: first.line, field: HOUSEHOLD_COLUMNS.number[0], code: 'household_number_taken' });
    const heads = members.filter((m) => m.relation === 'head').length;
    if (heads !== 1 || members.some((m) => m.regionCode !== first.regionCode)) {
      problems.push({ line: first.line, field: HOUSEHOLD_COLUMNS.relation[0], code: 'import_household_head' });
    }
  }
  refuseIfProblems(sheet, problems);

  return deps.db.transaction().execute(async (trx) => {
    const now = deps.now();
    let people = 0;
    for (const [number, members] of households) {
      const head = members.find((m) => m.relation === 'head') as Member;
      const region = known.get(head.regionCode) as RegionRecord;
      const householdId = uuidv7(now);
      await explainUniqueViolation('household_number_taken', () =>
        insertHousehold(
          trx,
          householdId,
          {
            number,
            headName: head.name,
            address: head.address || members.find((m) => m.address)?.address || null,
            phone: head.phone,
            placement: region.placement,
          },
          now,
        ),
      );
      for (const member of members) {
        const facts = member.idNumber ? idNumberFacts(member.idNumber) : undefined;
        await explainUniqueViolation('id_number_taken', () =>
          insertPerson(
            trx,
            uuidv7(now),
            {
              householdId,
              name: member.name,
              gender: facts?.gender ?? null,
              birthDate: facts?.birthDate ?? null,
              relation: member.relation,
              phone: member.phone,
              idNumber: member.idNumber
                ? {
                    sealed: deps.vault.encrypt(member.idNumber),
                    hash: deps.vault.blindIndex(member.idNumber),
                    masked: maskIdNumber(member.idNumber),
                  }
                : null,
              placement: { ...region.placement, householdId },
            },
            now,
          ),
        );
        people++;
      }
    }
    await recordAudit(trx, actor, { action: 'org.import', details: { kind: 'households', count: households.size, people } }, now);
    return { imported: households.size, people };
  });
}
