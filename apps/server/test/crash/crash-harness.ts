// The crash harness (issue 13, item 7): the real server under mixed writes from several clients,
// killed with SIGKILL at random moments and restarted, again and again. After each restart every
// write that was answered 2xx must be there exactly once; a write whose answer never came may be
// there at most once, and sending it again with the same Idempotency-Key makes it exactly once;
// and the modules' invariants (points ledger, stock, unique numbers and readings) must hold.
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../src/config.ts';
import { databaseTargetFromConfig, openDatabase } from '../../src/db/database.ts';
import { killHard, type ServerProcess, startServer } from '../server-process.ts';
import { countWrites, invariantFailures, redemptionsSince, type WriteKind } from './crash-checks.repository.ts';

export type CrashOptions = {
  kills: number;
  /** DATA_DIR, and DATABASE_URL for PostgreSQL; the demo county is loaded on the first start. */
  env: Record<string, string>;
  minDelayMs?: number;
  maxDelayMs?: number;
  /** One line per kill, for a long run's progress. */
  progress?: (line: string) => void;
};

export type CrashSummary = {
  kills: number;
  /** Writes answered 2xx, before a kill or on their retry after it. */
  acknowledged: number;
  acknowledgedByKind: Record<WriteKind, number>;
  /** Writes whose answer never came before the kill, sent again with the same key after the restart. */
  retried: number;
  /** Writes refused with a 4xx (e.g. not enough points): checked to have left nothing. */
  refused: number;
  /** Rows found for writes, summed over every check after every restart. */
  rowsChecked: number;
  duplicates: number;
  missing: number;
  invariantFailures: string[];
  failures: string[];
};

type Session = { cookie: string; csrfToken: string };
type Auth = Session | { bearer: string };

type Write = {
  kind: WriteKind;
  auth: Auth;
  path: string;
  body: unknown;
  key: string;
  /** The tags of the rows it leaves (see countWrites); empty for redemptions, counted per household. */
  tags: string[];
  state: 'sending' | 'acknowledged' | 'unanswered' | 'refused';
  /** Per tag, how many rows the answer promised (a grant may skip, a reading may be refused). */
  expected: Map<string, number>;
};

type World = {
  villager: Session;
  cadre: Session;
  gateway: Auth;
  householdId: string;
  groupId: string;
  personId: string;
  categoryId: string;
  ruleId: string;
  goodsId: string;
  itemId: string;
  devices: string[];
};

const PASSWORD = 'Cunzhi2026';

async function login(url: string, phone: string): Promise<Session & { me: Record<string, unknown> }> {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone, password: PASSWORD }),
  });
  if (response.status !== 200) throw new Error(`login ${phone}: ${response.status} ${await response.text()}`);
  const me = (await response.json()) as { csrfToken: string; user: Record<string, unknown> };
  return { cookie: (response.headers.get('set-cookie') ?? '').split(';')[0] as string, csrfToken: me.csrfToken, me: me.user };
}

function headersOf(auth: Auth, key?: string): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if ('bearer' in auth) headers.authorization = `Bearer ${auth.bearer}`;
  else {
    headers.cookie = auth.cookie;
    headers['x-csrf-token'] = auth.csrfToken;
  }
  if (key) headers['idempotency-key'] = key;
  return headers;
}

async function getJson<T>(url: string, auth: Auth, path: string): Promise<T> {
  const response = await fetch(`${url}${path}`, { headers: headersOf(auth) });
  if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** The demo county's villager 13800000011, Pingdiba's cadre and the Huatian gateway, with what they write to. */
async function discover(url: string): Promise<World> {
  const villager = await login(url, '13800000011');
  const cadre = await login(url, '13800000003');
  const gateway = { bearer: 'demo-gateway-key' };
  const householdId = villager.me.householdId as string;
  const household = await getJson<{ regionId: string; villageId: string }>(url, villager, `/api/org/households/${householdId}`);
  const people = await getJson<{ items: { id: string; relation: string }[] }>(url, villager, `/api/org/people?householdId=${householdId}`);
  const categories = await getJson<{ items: { id: string }[] }>(url, villager, '/api/cases/categories');
  const rules = await getJson<{
    items: { id: string; points: number; active: boolean; limitPerDay: unknown; limitPerMonth: unknown; limitPerHousehold: unknown }[];
  }>(url, cadre, `/api/points/villages/${household.villageId}/rules`);
  const goods = await getJson<{ items: { id: string; price: number; available: number }[] }>(
    url,
    villager,
    `/api/points/villages/${household.villageId}/goods`,
  );
  const items = await getJson<{ items: { id: string; places: string[] }[] }>(url, villager, '/api/services/items?q=yyzz');
  const devices = await getJson<{ items: { serial: string; kind: string }[] }>(url, gateway, '/api/care/gateway/devices');
  const rule = rules.items.find((r) => r.active && r.points > 0 && !r.limitPerDay && !r.limitPerMonth && !r.limitPerHousehold);
  const cheapest = [...goods.items].sort((a, b) => a.price - b.price)[0];
  const item = items.items.find((i) => i.places.includes('online'));
  const head = people.items.find((p) => p.relation === 'head') ?? people.items[0];
  if (!rule || !cheapest || !item || !head || !categories.items[0]) throw new Error('the demo county lacks what the harness writes to');
  return {
    villager,
    cadre,
    gateway,
    householdId,
    groupId: household.regionId,
    personId: head.id,
    categoryId: categories.items[0].id,
    ruleId: rule.id,
    goodsId: cheapest.id,
    itemId: item.id,
    devices: devices.items.filter((d) => d.kind === 'bracelet').map((d) => d.serial),
  };
}

/** The writes of one client, in its order; each client sends one at a time, like a phone. */
type Client = (n: number) => Write;

function clientsOf(world: World, run: string): Client[] {
  const write = (kind: WriteKind, auth: Auth, path: string, body: unknown, tags: string[]): Write => ({
    kind,
    auth,
    path,
    body,
    key: randomUUID(),
    tags,
    state: 'sending',
    expected: new Map(),
  });
  const caseOrApplication: Client = (n) => {
    if (n % 2 === 0) {
      const id = randomUUID();
      const body = {
        id,
        source: 'villagerVoice',
        channel: 'app',
        categoryId: world.categoryId,
        regionId: world.groupId,
        title: `断电测试 ${run}-${n}`,
        description: '崩溃测试写入的反映 crash-test report',
      };
      return write('case', world.villager, '/api/cases', body, [id]);
    }
    const address = `断电测试 ${run}-${n}`;
    const body = { itemId: world.itemId, applicantPersonId: world.personId, delivery: 'mail', address };
    return write('application', world.villager, '/api/services/applications', body, [address]);
  };
  const redemption: Client = () =>
    write(
      'redemption',
      world.villager,
      '/api/points/redemptions',
      { householdId: world.householdId, goodsId: world.goodsId, quantity: 1 },
      [],
    );
  const grantOrNotice: Client = (n) => {
    const tag = `断电测试 ${run}-${n}`;
    if (n % 2 === 0) {
      return write('grant', world.cadre, '/api/points/grants', { ruleId: world.ruleId, householdIds: [world.householdId], note: tag }, [
        tag,
      ]);
    }
    const body = {
      title: tag,
      body: '崩溃测试的通知 crash-test notice',
      urgent: false,
      audience: { regionIds: [world.groupId] },
      send: true,
    };
    return write('notice', world.cadre, '/api/notices', body, [tag]);
  };
  const readings: Client = (n) => {
    const at = new Date(Date.now() - 60_000).toISOString();
    const batch = world.devices
      .slice(0, 4)
      .map((device, i) => ({ device, id: `crash-${run}-${n}-${i}`, kind: 'heartRate', value: 72, at }));
    return write(
      'reading',
      world.gateway,
      '/api/care/readings',
      { readings: batch },
      batch.map((r) => r.id),
    );
  };
  return [caseOrApplication, redemption, grantOrNotice, readings];
}

type Outcome = { status: number; json: unknown } | 'no answer';

async function send(url: string, write: Write): Promise<Outcome> {
  try {
    const response = await fetch(`${url}${write.path}`, {
      method: 'POST',
      headers: headersOf(write.auth, write.key),
      body: JSON.stringify(write.body),
    });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : null };
  } catch {
    return 'no answer';
  }
}

/** Records an answer on the write; false when none came (the server is gone). */
function settle(write: Write, outcome: Outcome): boolean {
  if (outcome === 'no answer' || outcome.status >= 500) {
    write.state = 'unanswered';
    return outcome !== 'no answer';
  }
  if (outcome.status >= 400) {
    write.state = 'refused';
    for (const tag of write.tags) write.expected.set(tag, 0);
    return true;
  }
  write.state = 'acknowledged';
  for (const tag of write.tags) write.expected.set(tag, 1);
  if (write.kind === 'grant') {
    const booked = (outcome.json as { booked: unknown[] }).booked.length;
    write.expected.set(write.tags[0] as string, booked);
  }
  if (write.kind === 'reading') {
    for (const { index } of (outcome.json as { rejected: { index: number }[] }).rejected)
      write.expected.set(write.tags[index] as string, 0);
  }
  return true;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runCrashTest(options: CrashOptions): Promise<CrashSummary> {
  const { kills, minDelayMs = 50, maxDelayMs = 800 } = options;
  const env = {
    NODE_ENV: 'development',
    LOG_LEVEL: 'info',
    SIMULATE_CARE: 'false',
    DEMO_DATA: 'true',
    // The writes here are cases, points, readings, applications and notices: no camera's week is needed.
    DEMO_CAMERAS: 'false',
    LOGIN_RATE_LIMIT_PER_MINUTE: '10000',
    SESSION_IDLE_MINUTES: '720',
    ...options.env,
  };
  const summary: CrashSummary = {
    kills: 0,
    acknowledged: 0,
    acknowledgedByKind: { case: 0, grant: 0, redemption: 0, reading: 0, application: 0, notice: 0 },
    retried: 0,
    refused: 0,
    rowsChecked: 0,
    duplicates: 0,
    missing: 0,
    invariantFailures: [],
    failures: [],
  };
  const run = randomUUID().slice(0, 8);
  const startedAt = Date.now();
  const writes: Write[] = [];
  const counters: number[] = [];

  let server: ServerProcess = await startServer(env);
  try {
    const world = await discover(server.url);
    const clients = clientsOf(world, run);
    const database = () => openDatabase(databaseTargetFromConfig(loadConfig({ ...env, NODE_ENV: 'test' })));

    const check = async (when: string) => {
      const { reader, close } = database();
      try {
        for (const kind of ['case', 'grant', 'application', 'notice', 'reading'] as const) {
          const ofKind = writes.filter((w) => w.kind === kind);
          const counts = await countWrites(
            reader,
            kind,
            ofKind.flatMap((w) => w.tags),
          );
          for (const w of ofKind) {
            for (const tag of w.tags) {
              const found = counts.get(tag) ?? 0;
              summary.rowsChecked += found;
              const most = w.state === 'unanswered' ? 1 : (w.expected.get(tag) ?? 0);
              const least = w.state === 'unanswered' ? 0 : most;
              if (found > most) {
                summary.duplicates += 1;
                summary.failures.push(`${when}: ${kind} ${tag} (${w.state}) is there ${found} times, at most ${most} expected`);
              } else if (found < least) {
                summary.missing += 1;
                summary.failures.push(`${when}: ${kind} ${tag} (${w.state}) is there ${found} times, ${least} expected`);
              }
            }
          }
        }
        // Redemptions come from one client, one at a time: the acknowledged ones, plus at most the unanswered.
        const redemptions = writes.filter((w) => w.kind === 'redemption');
        const acknowledged = redemptions.filter((w) => w.state === 'acknowledged').length;
        const unanswered = redemptions.filter((w) => w.state === 'unanswered').length;
        const found = await redemptionsSince(reader, world.householdId, startedAt);
        summary.rowsChecked += found;
        if (found > acknowledged + unanswered) {
          summary.duplicates += found - acknowledged - unanswered;
          summary.failures.push(`${when}: ${found} redemptions, at most ${acknowledged + unanswered} expected`);
        } else if (found < acknowledged) {
          summary.missing += acknowledged - found;
          summary.failures.push(`${when}: ${found} redemptions, ${acknowledged} acknowledged`);
        }
        for (const failure of await invariantFailures(reader)) {
          summary.invariantFailures.push(`${when}: ${failure}`);
        }
      } finally {
        await close();
      }
    };

    for (let kill = 1; kill <= kills; kill++) {
      const url = server.url;
      let alive = true;
      const loops = clients.map(async (next, c) => {
        while (alive) {
          const n = counters[c] ?? 0;
          counters[c] = n + 1;
          const write = next(n);
          writes.push(write);
          if (!settle(write, await send(url, write))) return;
        }
      });
      await sleep(minDelayMs + Math.random() * (maxDelayMs - minDelayMs));
      await killHard(server);
      alive = false;
      await Promise.all(loops);
      summary.kills = kill;

      server = await startServer(env);
      await check(`after kill ${kill}`);
      const unanswered = writes.filter((w) => w.state === 'unanswered');
      for (const write of unanswered) {
        summary.retried += 1;
        for (let attempt = 0; attempt < 5 && write.state === 'unanswered'; attempt++) settle(write, await send(server.url, write));
        if (write.state === 'unanswered') summary.failures.push(`after kill ${kill}: ${write.kind} ${write.key} never answered on retry`);
      }
      await check(`after kill ${kill}, retried`);
      options.progress?.(
        `kill ${kill}/${kills}: ${writes.length} writes sent, ${unanswered.length} retried, ${summary.failures.length + summary.invariantFailures.length} failures`,
      );
    }
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  for (const w of writes) if (w.state === 'acknowledged') summary.acknowledgedByKind[w.kind] += 1;
  summary.acknowledged = writes.filter((w) => w.state === 'acknowledged').length;
  summary.refused = writes.filter((w) => w.state === 'refused').length;
  return summary;
}

export function summaryLines(s: CrashSummary): string[] {
  return [
    `kills survived: ${s.kills}`,
    `writes acknowledged and checked: ${s.acknowledged} (${s.retried} unanswered at a kill and retried with their key, ${s.refused} refused and checked absent, ${s.rowsChecked} rows checked over all restarts)`,
    `  by kind: ${Object.entries(s.acknowledgedByKind)
      .map(([kind, n]) => `${kind} ${n}`)
      .join(', ')}`,
    `duplicates found: ${s.duplicates}`,
    `missing acknowledged writes: ${s.missing}`,
    `invariant failures: ${s.invariantFailures.length}`,
    ...s.failures.slice(0, 20).map((f) => `FAIL ${f}`),
    ...s.invariantFailures.slice(0, 20).map((f) => `INVARIANT ${f}`),
  ];
}
