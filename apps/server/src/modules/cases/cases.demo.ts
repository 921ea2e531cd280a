// A year of cases in the demo county, so that queues, statistics and public pages look like a
// living county: reports from villagers, appeals by phone, patrol finds, most handled on time.
import { FINDING_CASE_CATEGORY_CODE } from '@cunzhi/contracts/case-category-codes';
import type { Deps } from '../../platform/deps.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { seededRandom } from '../../platform/seeded-random.ts';
import { addWorkingHours, DEFAULT_CALENDAR } from '../../platform/working-time.ts';
import { addDepartment, setDepartmentOfHandler } from '../org/departments.service.ts';
import { gridWorkerOf } from '../org/duty-holders.service.ts';
import type { requireRegion } from '../org/regions.service.ts';
import { insertCategory } from './case-categories.repository.ts';
import { insertEvent } from './case-events.repository.ts';
import { rebuildRollups } from './case-rollups.repository.ts';
import type { CaseState } from './case-workflow.ts';
import { insertCase, setRating } from './cases.repository.ts';

/** A region as org's service gives it. */
type Region = Awaited<ReturnType<typeof requireRegion>>;

const DEPARTMENTS = [
  { key: 'transport', name: '县交通运输委员会', nameEn: 'County Transport Commission' },
  { key: 'housing', name: '县住房城乡建委', nameEn: 'County Housing and Construction Commission' },
  { key: 'social', name: '县人力社保局', nameEn: 'County Human Resources and Social Security Bureau' },
  { key: 'agriculture', name: '县农业农村委', nameEn: 'County Agriculture and Rural Affairs Commission' },
  { key: 'power', name: '县供电公司', nameEn: 'County Power Supply Company' },
  { key: 'water', name: '县自来水公司', nameEn: 'County Water Works' },
  { key: 'lawEnforcement', name: '县综合行政执法局', nameEn: 'County Comprehensive Law Enforcement Bureau' },
];

/**
 * What the cameras raise (乱搭乱建, issue 16): routed to the county's law-enforcement bureau. Kept out
 * of DEMO_CATEGORIES, whose draws make the year of cases, so the demo's other cases stay as they were.
 */
export const DEMO_CAMERA_CATEGORY = {
  code: FINDING_CASE_CATEGORY_CODE,
  name: '乱搭乱建（摄像头发现）',
  nameEn: 'Unauthorised building (cameras)',
  routeTo: 'department',
  department: 'lawEnforcement',
  hours: 40,
} as const;

export const DEMO_CATEGORIES = [
  { code: 'sanitation', name: '环境卫生', nameEn: 'Sanitation', routeTo: 'grid', hours: 16 },
  { code: 'dispute', name: '邻里纠纷', nameEn: 'Neighbour dispute', routeTo: 'grid', hours: 24 },
  { code: 'policy', name: '政策咨询', nameEn: 'Policy question', routeTo: 'grid', hours: 8 },
  { code: 'elderly', name: '孤寡老人帮扶', nameEn: 'Help for elders', routeTo: 'grid', hours: 8 },
  { code: 'road', name: '道路交通', nameEn: 'Roads and transport', routeTo: 'department', department: 'transport', hours: 40 },
  { code: 'building', name: '乱搭乱建', nameEn: 'Unauthorised building', routeTo: 'department', department: 'housing', hours: 40 },
  { code: 'social', name: '社会保障', nameEn: 'Social security', routeTo: 'department', department: 'social', hours: 40 },
  { code: 'farming', name: '农业生产', nameEn: 'Farming', routeTo: 'department', department: 'agriculture', hours: 24 },
  // Power and water are two companies: a water report never goes to the power company.
  { code: 'power', name: '用电', nameEn: 'Power supply', routeTo: 'department', department: 'power', hours: 16 },
  { code: 'water', name: '用水', nameEn: 'Water supply', routeTo: 'department', department: 'water', hours: 16 },
] as const;

const TITLES: Record<string, string[]> = {
  sanitation: ['垃圾池满了没人清运', '河沟里有人倒垃圾', '路边杂草太多'],
  dispute: ['邻居占用我家院坝', '宅基地界线有争议', '鸡鸭进菜地引发争执'],
  policy: ['咨询养老保险缴费', '咨询危房改造补助', '咨询耕地地力补贴'],
  elderly: ['独居老人需要上门看看', '老人家里漏雨'],
  road: ['村道塌方', '便民桥护栏损坏', '客运班车太少'],
  building: ['集镇路边有人乱搭棚子', '河道旁新建房屋'],
  social: ['低保申请进度', '医保报销问题'],
  farming: ['柑橘树叶发黄', '林下鸡苗死亡多'],
  // Water's titles are drawn with power's, as when both were one category, so that the demo county
  // stays the same case for case; the title then says which company it goes to.
  power: ['经常停电', '自来水水压低'],
};
const WATER_TITLES = new Set(['自来水水压低']);

const HOUR = 3_600_000;

export async function seedDemoCases(deps: Deps, regionsByCode: Map<string, Region>, options: { count?: number } = {}): Promise<number> {
  const count = options.count ?? 1500;
  const county = regionsByCode.get('500242') as Region;
  const groups = [...regionsByCode.values()].filter((r) => r.level === 'villagerGroup');
  const next = seededRandom(242);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const now = deps.now();

  return deps.db.transaction().execute(async (trx) => {
    const departmentIds = new Map<string, string>();
    for (const d of DEPARTMENTS) {
      const id = uuidv7(now);
      departmentIds.set(d.key, id);
      await addDepartment(trx, { id, name: d.name, nameEn: d.nameEn, regionId: county.id }, now);
    }
    // The demo department handler works for the transport commission.
    const transport = departmentIds.get('transport');
    if (transport) await setDepartmentOfHandler(trx, '13800000006', transport);
    const categories: { id: string; code: string; routeTo: 'grid' | 'department'; departmentId: string | null; hours: number }[] = [];
    for (const [i, c] of DEMO_CATEGORIES.entries()) {
      const id = uuidv7(now);
      const departmentId = 'department' in c ? (departmentIds.get(c.department) ?? null) : null;
      await insertCategory(
        trx,
        {
          id,
          countyId: county.id,
          code: c.code,
          name: c.name,
          nameEn: c.nameEn,
          routeTo: c.routeTo,
          departmentId,
          deadlineHours: c.hours,
          active: true,
          sortOrder: i,
        },
        now,
      );
      categories.push({ id, code: c.code, routeTo: c.routeTo, departmentId, hours: c.hours });
    }
    await insertCategory(
      trx,
      {
        id: uuidv7(now),
        countyId: county.id,
        code: DEMO_CAMERA_CATEGORY.code,
        name: DEMO_CAMERA_CATEGORY.name,
        nameEn: DEMO_CAMERA_CATEGORY.nameEn,
        routeTo: DEMO_CAMERA_CATEGORY.routeTo,
        departmentId: departmentIds.get(DEMO_CAMERA_CATEGORY.department) ?? null,
        deadlineHours: DEMO_CAMERA_CATEGORY.hours,
        active: true,
        sortOrder: DEMO_CATEGORIES.length,
      },
      now,
    );

    const gridWorkers = new Map<string, string | undefined>();
    for (const g of groups) gridWorkers.set(g.id, await gridWorkerOf(trx, g.id));
    const perDay = new Map<string, number>();
    for (let i = 0; i < count; i++) {
      const createdAt = now - Math.floor(next() ** 1.4 * 365 * 24 * HOUR);
      const group = pick(groups);
      // Power and water share one draw (see TITLES); both go to a department within 16 hours.
      const drawn = pick(categories.filter((c) => c.code !== 'water'));
      const appeal = next() < 0.35;
      const assignee = drawn.routeTo === 'grid' ? gridWorkers.get(group.id) : undefined;
      const deadline = addWorkingHours(createdAt, drawn.hours, DEFAULT_CALENDAR);
      const age = now - createdAt;
      // Older cases are mostly finished; one in fifty replies late; appeals are often answered on the spot.
      const onSpot = appeal && next() < 0.45;
      const progress = age > 14 * 24 * HOUR ? 6 : Math.floor(next() * 7);
      const late = next() < 0.02;
      const step = (n: number) => Math.round(createdAt + n * ((deadline - createdAt) / 5) * (late ? 1.6 : 0.8));
      const routed = Boolean(assignee) || (drawn.routeTo === 'department' && drawn.departmentId !== null);
      let state: CaseState = onSpot ? (progress > 1 ? 'closed' : 'answeredOnSpot') : routed ? 'assigned' : 'received';
      const times: Partial<Record<'answered' | 'assigned' | 'accepted' | 'handled' | 'replied' | 'closed', number>> = {};
      if (onSpot) {
        times.answered = createdAt + HOUR / 4;
        if (state === 'closed') times.closed = createdAt + 2 * HOUR;
      } else if (state === 'assigned') {
        times.assigned = createdAt;
        const states: CaseState[] = ['assigned', 'accepted', 'handled', 'replied', 'closed'];
        state = states[Math.min(progress, states.length - 1)] as CaseState;
        if (progress >= 1) times.accepted = step(1);
        if (progress >= 2) times.handled = step(3);
        if (progress >= 3) times.replied = step(5);
        if (progress >= 4) times.closed = step(5) + 48 * HOUR;
      }
      // Every step the case went through; a step that would lie in the future has not happened yet.
      const allSteps: [string, CaseState, CaseState, number | undefined][] = onSpot
        ? [
            ['answerOnSpot', 'received', 'answeredOnSpot', times.answered],
            ['close', 'answeredOnSpot', 'closed', times.closed],
          ]
        : [
            ['assign', 'received', 'assigned', times.assigned],
            ['accept', 'assigned', 'accepted', times.accepted],
            ['handle', 'accepted', 'handled', times.handled],
            ['reply', 'handled', 'replied', times.replied],
            ['rate', 'replied', 'closed', times.closed],
          ];
      const cut = allSteps.findIndex(([, , , at]) => at === undefined || at > now);
      const steps = cut === -1 ? allSteps : allSteps.slice(0, cut);
      state = steps.length > 0 ? (steps[steps.length - 1] as (typeof steps)[number])[2] : 'received';
      const happened = (at: number | undefined) => (at !== undefined && at <= now ? at : null);
      const day = new Date(createdAt + 8 * HOUR).toISOString().slice(0, 10).replaceAll('-', '');
      const seq = (perDay.get(day) ?? 0) + 1;
      perDay.set(day, seq);
      const id = uuidv7(createdAt);
      const source = appeal ? 'appeal' : pick(['villagerVoice', 'villagerVoice', 'exposureBoard', 'patrol', 'mediation'] as const);
      // Drawn in the order they always were, so the demo county stays the same.
      const channel = appeal ? pick(['phone', 'walkIn', 'app'] as const) : 'app';
      const title = pick(TITLES[drawn.code] ?? ['其他事项']);
      const category = WATER_TITLES.has(title) ? (categories.find((c) => c.code === 'water') ?? drawn) : drawn;
      const departmentId = category.routeTo === 'department' ? category.departmentId : null;
      const onBoard = source === 'exposureBoard';
      await insertCase(trx, {
        id,
        number: `${day}-${String(seq).padStart(5, '0')}`,
        source,
        // The demo's exposure-board reports have been through moderation (they name nobody), so
        // they carry what a moderator publishes: a title and a text, as on a real board.
        public_state: onBoard ? 'published' : null,
        public_title: onBoard ? title : null,
        public_text: onBoard ? `村民反映：${title}。已按流程转交办理，办理情况在此公开。` : null,
        channel,
        category_id: category.id,
        title,
        description: '演示数据：村民反映的情况，网格员或部门按流程办理。',
        region_id: group.id,
        village_id: group.placement.villageId,
        township_id: group.placement.townshipId,
        county_id: group.placement.countyId,
        latitude: 28.84 + next() / 10,
        longitude: 108.77 + next() / 10,
        reporter_user_id: null,
        reporter_household_id: null,
        reporter_name: null,
        reporter_phone: null,
        anonymous: next() < 0.2 ? 1 : 0,
        state,
        assignee_user_id: assignee ?? null,
        assignee_department_id: departmentId,
        escalation_level: category.routeTo === 'grid' ? 'grid' : 'county',
        deadline_at: deadline,
        answered_at: happened(times.answered),
        assigned_at: happened(times.assigned),
        accepted_at: happened(times.accepted),
        handled_at: happened(times.handled),
        replied_at: happened(times.replied),
        closed_at: happened(times.closed),
        created_at: createdAt,
        updated_at: Math.max(createdAt, ...steps.map(([, , , at]) => at as number)),
      });
      if (state === 'closed' && !onSpot) {
        await setRating(trx, id, next() < 0.9 ? 5 : 3);
      }
      const event = (action: string, fromState: CaseState | null, toState: CaseState, at: number) =>
        insertEvent(trx, {
          id: uuidv7(at),
          caseId: id,
          action,
          fromState,
          toState,
          actorUserId: null,
          actorRole: 'demo',
          note: null,
          details: null,
          at,
        });
      await event('create', null, 'received', createdAt);
      for (const [action, from, to, at] of steps) await event(action, from, to, at as number);
    }
    await rebuildRollups(trx);
    return count;
  });
}
