// The demo county as one unit: loaded all or nothing on a first start in demo mode, and looked for
// at a production start, which refuses to run beside its published accounts and keys.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from './db/schema.ts';
import * as repo from './demo-county.repository.ts';
import { seedDemoAgri } from './modules/agri/agri.demo.ts';
import { accountCredentials } from './modules/auth/credentials.service.ts';
import { DEMO_GATEWAY_KEY, DEMO_SPEAKER_KEY, seedDemoCare } from './modules/care/care.demo.ts';
import { seedDemoCases } from './modules/cases/cases.demo.ts';
import { seedDemoScreens } from './modules/dashboard/dashboard.demo.ts';
import { seedDemoMonitoring } from './modules/monitoring/monitoring.demo.ts';
import { DEMO_LOUDSPEAKER_KEY, seedDemoNotices } from './modules/notices/notices.demo.ts';
import { DEMO_OPEN311_KEY, seedDemoOpen311 } from './modules/open311/open311.demo.ts';
import { DAXI_VILLAGER_PHONES, DEMO_ACCOUNTS, DEMO_PASSWORD, isDatabaseEmpty, seedDemoDaxi, seedDemoOrg } from './modules/org/org.demo.ts';
import { seedDemoPoints } from './modules/points/points.demo.ts';
import { seedDemoPoverty } from './modules/poverty/poverty.demo.ts';
import { seedDemoApplications, seedDemoServices } from './modules/services/services.demo.ts';
import type { Deps } from './platform/deps.ts';
import { verifyPassword } from './platform/passwords.ts';
import { hashToken } from './platform/tokens.ts';

export type DemoLoad = { households: number; people: number; cases: number };

/** Each step of the demo in order; a test swaps one for a step that fails to show nothing stays. */
export type DemoStep = { name: string; run(deps: Deps, state: DemoState): Promise<void> };
type DemoState = { org?: Awaited<ReturnType<typeof seedDemoOrg>>; cases: number; daxi?: { households: number; people: number } };

const org = (state: DemoState) => {
  if (!state.org) throw new Error('the demo organisation is loaded first');
  return state.org;
};

export const DEMO_STEPS: readonly DemoStep[] = [
  {
    name: 'org',
    run: async (deps, state) => {
      state.org = await seedDemoOrg(deps, accountCredentials);
    },
  },
  {
    name: 'cases',
    run: async (deps, state) => {
      state.cases = await seedDemoCases(deps, org(state).regionsByCode);
    },
  },
  { name: 'open311', run: (deps, state) => seedDemoOpen311(deps, org(state).regionsByCode.get('500242')?.id as string) },
  {
    name: 'points',
    run: async (deps, state) => {
      await seedDemoPoints(deps, org(state).regionsByCode, await repo.findUserIdByPhone(deps.db, '13800000009'));
    },
  },
  { name: 'care', run: async (deps, state) => void (await seedDemoCare(deps, org(state).regionsByCode)) },
  { name: 'services', run: async (deps, state) => void (await seedDemoServices(deps, org(state).regionsByCode)) },
  { name: 'applications', run: async (deps) => void (await seedDemoApplications(deps)) },
  // Daxi's cameras, a week of their pictures, the finding and its case, the evidence request (issue 16).
  { name: 'monitoring', run: (deps, state) => seedDemoMonitoring(deps, org(state).regionsByCode) },
  {
    name: 'notices',
    run: async (deps, state) =>
      void (await seedDemoNotices(deps, org(state).regionsByCode, await repo.findUserIdByPhone(deps.db, '13800000003'))),
  },
  // Daxi's two villages and their 430 households (issue 17): after the steps above, which stay as they were.
  {
    name: 'daxi',
    run: async (deps, state) => {
      state.daxi = await seedDemoDaxi(deps, accountCredentials, org(state).regionsByCode);
    },
  },
  // Pingdiba's and Daxi's farms, a season of observations, the advice libraries and today's advice, questions (issue 17).
  { name: 'agri', run: async (deps, state) => void (await seedDemoAgri(deps, org(state).regionsByCode)) },
  // Each village's monitored households at different steps of the procedure, one removed (issue 18).
  { name: 'poverty', run: (deps, state) => seedDemoPoverty(deps, org(state).regionsByCode) },
  // Pingdiba's and the county's wall screens with stable demo keys (issue 19).
  { name: 'screens', run: (deps, state) => seedDemoScreens(deps, org(state).regionsByCode) },
];

/**
 * The demo without Daxi's cameras and their week of pictures (DEMO_CAMERAS=false): for a start, or a
 * test, that never looks at a camera and need not wait while the pictures are stored and compared.
 */
export const DEMO_STEPS_WITHOUT_CAMERAS: readonly DemoStep[] = DEMO_STEPS.filter((step) => step.name !== 'monitoring');

/**
 * The loaders each commit their own transactions, so a kill between two of them used to leave a
 * half-loaded county that the next start took for a loaded one (the database was no longer empty).
 * Here every loader runs inside one outer transaction: their own `transaction()` calls join it.
 * A kill -9 or a throw rolls the whole county back (SQLite drops the uncommitted WAL frames,
 * PostgreSQL the dead connection's transaction), the database is empty again, and the next start
 * loads it from the beginning. Sample PDFs the services step writes outside the database are
 * re-created with new names; those of a failed attempt are only unreferenced files.
 */
export async function loadDemoCounty(
  deps: Deps,
  steps: readonly DemoStep[] = deps.config.demoCameras ? DEMO_STEPS : DEMO_STEPS_WITHOUT_CAMERAS,
  progress: (step: string) => void = () => {},
): Promise<DemoLoad | undefined> {
  return deps.db.transaction().execute(async (trx) => {
    // Asked inside the transaction: of two servers starting at once on PostgreSQL, the second fails
    // on the region codes the first inserted, and its next start finds the county loaded.
    if (!(await isDatabaseEmpty(trx))) return undefined;
    const joined = joinedTransaction(trx);
    const inside: Deps = { ...deps, db: joined, reader: joined };
    const state: DemoState = { cases: 0 };
    for (const step of steps) {
      await step.run(inside, state);
      progress(step.name);
    }
    const loaded = org(state);
    const daxi = state.daxi ?? { households: 0, people: 0 };
    return { households: loaded.householdCount + daxi.households, people: loaded.peopleCount + daxi.people, cases: state.cases };
  });
}

/**
 * A transaction whose own transaction() runs the callback in itself (Kysely refuses nested
 * transactions). Methods are bound to the real transaction: Kysely keeps its state in private fields.
 */
function joinedTransaction(trx: Transaction<DB>): Kysely<DB> {
  const join = () => ({ execute: <T>(callback: (inner: Transaction<DB>) => Promise<T>) => callback(trx) });
  return new Proxy(trx, {
    get(target, property) {
      if (property === 'transaction') return join;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * A demo whose notices step never ran: what a kill mid-load left before the load became one
 * transaction. It is not repaired in place (users may have worked in it); main.ts says how to reload.
 */
export async function isDemoIncomplete(deps: Deps): Promise<boolean> {
  if (!(await repo.hasDemoLoadRecord(deps.db))) return false;
  return !(await repo.findKeyHashes(deps.db, [hashToken(DEMO_LOUDSPEAKER_KEY)])).size;
}

/** The phones the demo gives accounts, each with the password printed in the README. */
export function demoPhones(): string[] {
  const gridWorkers = Array.from({ length: 12 }, (_, i) => `1380000${1001 + i}`);
  return [...DEMO_ACCOUNTS.map((a) => a.phone), ...DAXI_VILLAGER_PHONES, ...gridWorkers];
}

/**
 * What of the demo is in this database, one line each, for a production start to refuse on:
 * the published keys (by their hashes), the demo phones that still take the published password,
 * the demo's key-only accounts, and the record of a demo load. Empty for a real county.
 */
export async function findDemoLeftovers(deps: Deps): Promise<string[]> {
  const found: string[] = [];
  const keys = {
    [DEMO_GATEWAY_KEY]: 'api key',
    [DEMO_OPEN311_KEY]: 'api key',
    [DEMO_SPEAKER_KEY]: 'speaker key',
    [DEMO_LOUDSPEAKER_KEY]: 'loudspeaker key',
  };
  const present = await repo.findKeyHashes(deps.db, Object.keys(keys).map(hashToken));
  for (const [key, kind] of Object.entries(keys)) {
    if (present.has(hashToken(key))) found.push(`the demo ${kind} "${key}" (published in the README)`);
  }
  for (const user of await repo.findUsersByPhone(deps.db, [...demoPhones(), ...repo.DEMO_KEY_ACCOUNTS])) {
    if (repo.DEMO_KEY_ACCOUNTS.includes(user.phone)) found.push(`the demo's key-only account "${user.phone}"`);
    else if (user.passwordHash !== null && (await verifyPassword(DEMO_PASSWORD, user.passwordHash))) {
      found.push(`the demo account ${user.phone} with the published demo password`);
    }
  }
  if (await repo.hasDemoLoadRecord(deps.db)) found.push('the record of a demo county load (audit action demo.seed)');
  return found;
}
