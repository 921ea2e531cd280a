// A county with a grid worker, cadres, villagers and a department, and two categories (one routed
// to the grid, one to the department): the people the cases tests act as.
import { addDepartment } from '../src/modules/org/departments.service.ts';
import { uuidv7 } from '../src/platform/ids.ts';
import { login, type Session, type TestContext } from './build-test-app.ts';
import { buildCaseCategory } from './factories/cases.ts';
import { buildHousehold, buildPerson, buildTree, buildUser, PASSWORD, type Tree } from './factories.ts';

export type CaseWorld = {
  tree: Tree;
  categories: { road: string; permit: string };
  departmentId: string;
  gridWorker: Session;
  gridWorkerId: string;
  cadre: Session;
  cadreId: string;
  cadreB: Session;
  villager: Session;
  villagerId: string;
  villagerName: string;
  sameHousehold: Session;
  neighbour: Session;
  handler: Session;
  handlerId: string;
  /** Logs everyone in again (sessions end after 30 idle minutes; some tests move the clock by days). */
  relogin(): Promise<void>;
};

const SESSION_FIELDS = ['gridWorker', 'cadre', 'cadreB', 'villager', 'sameHousehold', 'neighbour', 'handler'] as const;

export async function buildCaseWorld(ctx: TestContext): Promise<CaseWorld> {
  const tree = await buildTree(ctx.deps);
  const now = ctx.deps.now();
  const categories = { road: uuidv7(), permit: uuidv7() };
  const departmentId = uuidv7();
  await addDepartment(ctx.deps.db, { id: departmentId, name: '县交通局', regionId: tree.county.id }, now);
  const category = (id: string, code: string, name: string, nameEn: string, routeTo: 'grid' | 'department', hours: number) =>
    buildCaseCategory(ctx.deps, {
      id,
      countyId: tree.county.id,
      code,
      name,
      nameEn,
      routeTo,
      departmentId: routeTo === 'department' ? departmentId : null,
      deadlineHours: hours,
    });
  await category(categories.road, 'road', '道路破损', 'Damaged road', 'grid', 24);
  await category(categories.permit, 'traffic', '交通诉求', 'Traffic', 'department', 40);
  const phones = new Map<Session, string>();
  const as = async (role: Parameters<typeof buildUser>[1]['role'], region = tree.villageA, extra = {}) => {
    const user = await buildUser(ctx.deps, { role, region, ...extra });
    const session = await login(ctx.app, user.phone, PASSWORD);
    phones.set(session, user.phone);
    return { user, session };
  };
  const worker = await as('gridWorker', tree.villageA, { gridId: tree.gridA });
  const cadre = await as('villageCadre');
  const home = await buildHousehold(ctx.deps, { region: tree.groupA1 });
  const next = await buildHousehold(ctx.deps, { region: tree.groupA1 });
  const villagerPerson = await buildPerson(ctx.deps, { region: tree.groupA1, householdId: home.id });
  const personOf = async (householdId: string) => (await buildPerson(ctx.deps, { region: tree.groupA1, householdId })).id;
  const villagerName = '王小明';
  const villager = await as('villager', tree.villageA, { personId: villagerPerson.id, name: villagerName });
  const handlerUser = await buildUser(ctx.deps, { role: 'departmentHandler', region: tree.county });
  await ctx.deps.db.updateTable('role_assignments').set({ department_id: departmentId }).where('user_id', '=', handlerUser.id).execute();
  const handler = await login(ctx.app, handlerUser.phone, PASSWORD);
  phones.set(handler, handlerUser.phone);
  const world: CaseWorld = {
    tree,
    categories,
    departmentId,
    gridWorker: worker.session,
    gridWorkerId: worker.user.id,
    cadre: cadre.session,
    cadreId: cadre.user.id,
    cadreB: (await as('villageCadre', tree.villageB)).session,
    villager: villager.session,
    villagerId: villager.user.id,
    villagerName,
    sameHousehold: (await as('villager', tree.villageA, { personId: await personOf(home.id) })).session,
    neighbour: (await as('villager', tree.villageA, { personId: await personOf(next.id) })).session,
    handler,
    handlerId: handlerUser.id,
    async relogin() {
      for (const field of SESSION_FIELDS) {
        const phone = phones.get(world[field]) as string;
        world[field] = await login(ctx.app, phone, PASSWORD);
        phones.set(world[field], phone);
      }
    },
  };
  return world;
}
