// A real county's first day on an empty database: the county and its administrator, then its
// regions, grids and households from its own CSV and XLSX sheets, and the administrator sees them.
// Codes follow GB/T 2260 (county, 6 digits) and the statistical division codes (township 9,
// village 12 digits); villager groups add 3 digits to their village, as the demo county does.
import { idNumberCheckChar } from '@cunzhi/contracts/id-number';
import { describe, expect, it } from 'vitest';
import { dialects, login, useTestApp } from '../../../test/build-test-app.ts';
import { AppError } from '../../platform/errors.ts';
import { toXlsx } from '../../platform/xlsx.ts';
import { accountCredentials } from '../auth/credentials.service.ts';
import { setupCounty } from './county-setup.service.ts';
import {
  GRID_COLUMNS,
  HOUSEHOLD_COLUMNS,
  type ImportProblem,
  importGrids,
  importHouseholds,
  importRegions,
  REGION_COLUMNS,
} from './org-import.service.ts';
import { type Columns, readSheet } from './org-import.sheet.ts';

const PASSWORD = 'Youyang2027';
const ADMIN = { code: '500242', name: '酉阳土家族苗族自治县', adminPhone: '13912345678', adminName: '冉县长', password: PASSWORD };

const idNumber = (birth: string, order: number) => {
  const first17 = `500242${birth}${String(order).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
};

const csv = (text: string) => Buffer.from(`\ufeff${text.trim()}\r\n`, 'utf8');
const sheetOf = (content: Buffer, columns: Columns, required: string[]) => readSheet(content, columns, required);
const regionsSheet = (content: Buffer) => sheetOf(content, REGION_COLUMNS, ['code', 'name']);
const gridsSheet = (content: Buffer) => sheetOf(content, GRID_COLUMNS, ['village', 'name', 'groups']);
const householdsSheet = (content: Buffer) => sheetOf(content, HOUSEHOLD_COLUMNS, ['number', 'region', 'name', 'relation']);

const TOWNS_CSV = csv(`
区划代码,名称,英文名称
500242105201,平地坝村,Pingdiba
500242105,黑水镇,Heishui
500242208,花田乡,Huatian
500242208201,何家岩村,Hejiayan`);
const GROUPS_XLSX = toXlsx('小组', [
  ['区划代码', '名称'],
  ['500242105201001', '平地坝村一组'],
  ['500242105201002', '平地坝村二组'],
  ['500242208201001', '何家岩村一组'],
]);
const HOUSEHOLD_ROWS = [
  ['户号', '区划代码', '姓名', '与户主关系', '公民身份号码', '联系电话', '地址'],
  ['500242105201001-0001', '500242105201001', '冉鲜荣', '户主', idNumber('19620315', 21), '13900001111', '平地坝村一组1号'],
  ['500242105201001-0001', '500242105201001', '白明', '配偶', idNumber('19600101', 13), '', ''],
  ['500242105201001-0001', '500242105201001', '白小芳', '女儿', idNumber('19881120', 42).toLowerCase(), '', ''],
  ['500242208201001-0001', '500242208201001', '何易光', '户主', idNumber('19390708', 11), '', '何家岩村一组3号'],
];

/** The refusal's code, and its row problems as "line field code". */
async function refusal(work: Promise<unknown>): Promise<{ code: string; problems: string[] }> {
  try {
    await work;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const problems = ((error.details as { problems?: ImportProblem[] })?.problems ?? []).map((p) => `${p.line} ${p.field} ${p.code}`);
    return { code: error.code, problems };
  }
  throw new Error('expected a refusal');
}

describe.each(dialects)('setting up a county on an empty %s database', (dialect) => {
  const count = async (table: 'regions' | 'users' | 'grids' | 'households' | 'people') =>
    Number(
      (
        await ctx.deps.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  // Every test starts from an empty database and builds the county as far as it needs.
  const ctx = useTestApp(dialect);
  const withCounty = () => setupCounty(ctx.deps, ADMIN, accountCredentials);
  const withRegions = async () => {
    await withCounty();
    await importRegions(ctx.deps, regionsSheet(TOWNS_CSV));
    await importRegions(ctx.deps, regionsSheet(GROUPS_XLSX));
  };
  const withHouseholds = async () => {
    await withRegions();
    await importHouseholds(ctx.deps, householdsSheet(toXlsx('户', HOUSEHOLD_ROWS)));
  };

  it('refuses a weak password, a code that is not a county and a phone that is not a mobile, creating nothing', async () => {
    expect((await refusal(setupCounty(ctx.deps, { ...ADMIN, password: 'short1' }, accountCredentials))).code).toBe('weak_password');
    expect((await refusal(setupCounty(ctx.deps, { ...ADMIN, password: 'onlyletters' }, accountCredentials))).code).toBe('weak_password');
    // The probe set up a production county whose first admin had the README's demo password.
    expect((await refusal(setupCounty(ctx.deps, { ...ADMIN, password: 'Cunzhi2026' }, accountCredentials))).code).toBe('common_password');
    expect((await refusal(setupCounty(ctx.deps, { ...ADMIN, password: 'Passw0rd' }, accountCredentials))).code).toBe('common_password');
    for (const code of ['50024', '5002420', '500200', '500042', 'abcdef', '000242']) {
      expect((await refusal(setupCounty(ctx.deps, { ...ADMIN, code }, accountCredentials))).code).toBe('region_code_invalid');
    }
    expect((await refusal(setupCounty(ctx.deps, { ...ADMIN, adminPhone: '12345' }, accountCredentials))).code).toBe('validation_failed');
    expect(await count('regions')).toBe(0);
    expect(await count('users')).toBe(0);
  });

  it('creates the county and its first administrator, once', async () => {
    const { countyId } = await setupCounty(ctx.deps, ADMIN, accountCredentials);
    expect(countyId).toBeTruthy();
    const again = await refusal(setupCounty(ctx.deps, { ...ADMIN, code: '500241', adminPhone: '13912345679' }, accountCredentials));
    expect(again.code).toBe('county_exists');
    expect(await count('regions')).toBe(1);
    expect(await count('users')).toBe(1);
    const admin = await login(ctx.app, ADMIN.adminPhone, PASSWORD);
    expect((await admin.get('/api/auth/session')).json().permissions).toContain('org.write');
  });

  it('imports townships and villages from a CSV in any order, and villager groups from an XLSX', async () => {
    await withCounty();
    expect(await importRegions(ctx.deps, regionsSheet(TOWNS_CSV))).toEqual({ imported: 4 });
    expect(await importRegions(ctx.deps, regionsSheet(GROUPS_XLSX))).toEqual({ imported: 3 });
    const admin = await login(ctx.app, ADMIN.adminPhone, PASSWORD);
    const [county] = (await admin.get('/api/org/regions')).json().items;
    expect(county).toMatchObject({ code: '500242', childCount: 2 });
    const towns = (await admin.get(`/api/org/regions?parentId=${county.id}`)).json().items;
    const heishui = towns.find((t: { name: string }) => t.name === '黑水镇');
    expect((await admin.get(`/api/org/regions?parentId=${heishui.id}`)).json().items).toEqual([
      expect.objectContaining({ code: '500242105201', name: '平地坝村', level: 'village', childCount: 2 }),
    ]);
  });

  it('refuses bad codes, unknown parents and codes already there, each with its line, and imports none of the file', async () => {
    await withRegions();
    const before = await count('regions');
    const bad = csv(`
区划代码,名称
500242110,涂市镇
50024211,短代码
500242110201,地灵村
500242999201,无上级村
500242105,黑水镇
500242110000,零号村
,无代码
500242110202,`);
    const { code, problems } = await refusal(importRegions(ctx.deps, regionsSheet(bad)));
    expect(code).toBe('import_failed');
    expect(problems).toEqual([
      '3 区划代码 region_code_invalid',
      '5 区划代码 region_parent_unknown',
      '6 区划代码 region_code_taken',
      '7 区划代码 region_code_invalid',
      '8 区划代码 import_field_missing',
      '9 名称 import_field_missing',
    ]);
    expect(await count('regions')).toBe(before);
    const noHeader = await refusal(importRegions(ctx.deps, regionsSheet(csv('code_x,name\n500242110,涂市镇'))));
    expect(noHeader.problems).toEqual(['1 区划代码 import_field_missing']);
  });

  it('imports grids over villager groups, and refuses a group of another village or an unknown village', async () => {
    await withRegions();
    const refused = await refusal(
      importGrids(
        ctx.deps,
        gridsSheet(
          csv(`
村代码,网格名称,村民小组代码
500242105201,平地坝第1网格,500242105201001 500242208201001
500242105299,无此村网格,500242105201001`),
        ),
      ),
    );
    expect(refused.problems).toEqual(['2 村民小组代码 import_field_invalid', '3 村代码 not_found']);
    expect(await count('grids')).toBe(0);
    const grids = csv(`
村代码,网格名称,村民小组代码
500242105201,平地坝第1网格,"500242105201001,500242105201002"
500242208201,何家岩第1网格,500242208201001`);
    expect(await importGrids(ctx.deps, gridsSheet(grids))).toEqual({ imported: 2 });
    const village = await ctx.deps.db.selectFrom('regions').select('id').where('code', '=', '500242105201').executeTakeFirstOrThrow();
    const admin = await login(ctx.app, ADMIN.adminPhone, PASSWORD);
    const listed = (await admin.get(`/api/org/grids?villageId=${village.id}`)).json().items;
    expect(listed).toEqual([expect.objectContaining({ name: '平地坝第1网格', regionIds: expect.any(Array) })]);
    expect(listed[0].regionIds).toHaveLength(2);
    expect((await refusal(importGrids(ctx.deps, gridsSheet(grids)))).problems).toEqual([
      '2 网格名称 grid_name_taken',
      '3 网格名称 grid_name_taken',
    ]);
  });

  it('imports households with their members from an XLSX, ID numbers sealed as if entered by hand', async () => {
    await withRegions();
    expect(await importHouseholds(ctx.deps, householdsSheet(toXlsx('户', HOUSEHOLD_ROWS)))).toEqual({ imported: 2, people: 4 });
    const admin = await login(ctx.app, ADMIN.adminPhone, PASSWORD);
    const households = (await admin.get('/api/org/households')).json().items;
    expect(households.map((h: { headName: string; memberCount: number }) => [h.headName, h.memberCount])).toEqual(
      expect.arrayContaining([
        ['冉鲜荣', 3],
        ['何易光', 1],
      ]),
    );
    const ran = households.find((h: { headName: string }) => h.headName === '冉鲜荣');
    const people = (await admin.get(`/api/org/people?householdId=${ran.id}`)).json().items;
    const daughter = people.find((p: { name: string }) => p.name === '白小芳');
    expect(daughter).toMatchObject({
      gender: 'female',
      birthDate: '1988-11-20',
      relation: 'child',
      idNumberMasked: expect.stringMatching(/^5\*{16}[\dX]$/),
    });
    const stored = await ctx.deps.db.selectFrom('people').select('id_number_enc').where('name', '=', '白小芳').executeTakeFirstOrThrow();
    expect(ctx.deps.vault.decrypt(stored.id_number_enc as string)).toBe(idNumber('19881120', 42));
  });

  it('refuses a bad ID number, a taken one, a household without one head and an unknown relation, importing no household of the file', async () => {
    await withHouseholds();
    const householdCount = await count('households');
    const people = await count('people');
    const bad = idNumber('19700101', 31).slice(0, 17) + (idNumber('19700101', 31).endsWith('1') ? '2' : '1');
    const sheet = csv(`
户号,区划代码,姓名,与户主关系,身份证号
500242105201002-0001,500242105201002,田德胜,户主,${idNumber('19750505', 51)}
500242105201002-0002,500242105201002,彭建国,户主,${bad}
500242105201002-0003,500242105201002,王秀英,户主,${idNumber('19620315', 21)}
500242105201002-0004,500242105201002,刘静,配偶,
500242105201002-0005,500242105201002,张明,表亲,
500242105201002-0006,500242105,李文,户主,
500242105201001-0001,500242105201001,陈丽,户主,`);
    const { code, problems } = await refusal(importHouseholds(ctx.deps, householdsSheet(sheet)));
    expect(code).toBe('import_failed');
    expect(problems).toEqual([
      '3 公民身份号码 id_number_check_digit',
      '4 公民身份号码 id_number_taken',
      '5 与户主关系 import_household_head',
      '6 与户主关系 import_field_invalid',
      '7 区划代码 region_level_mismatch',
      '8 户号 household_number_taken',
    ]);
    expect(await count('households')).toBe(householdCount);
    expect(await count('people')).toBe(people);
  });
});

describe('reading a county spreadsheet', () => {
  it('keeps the line a clerk sees, past blank lines and quoted line breaks', () => {
    const sheet = readSheet(Buffer.from('代码,名称\r\n500242105,"黑水\n镇"\r\n\r\n500242208,花田乡\n'), REGION_COLUMNS, ['code', 'name']);
    expect(sheet.rows.map((r) => [r.line, r.get('code'), r.get('name')])).toEqual([
      [2, '500242105', '黑水\n镇'],
      [5, '500242208', '花田乡'],
    ]);
  });
});
