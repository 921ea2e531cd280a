// Farms, the open findings of issue 17 on each database: impossible and far-off days are refused
// by the weather feed, the weather entry and the farm camera's time-lapse day (a 400 that does not
// repeat them, nothing kept); the extension worker lists the observations of every farm of the
// township by kind, pest and day, page after page; an observation keeps several photos, up to six.
import { describe, expect, it } from 'vitest';
import { dialects, login, type Session, useTestApp } from '../../../test/build-test-app.ts';
import { attachFarmCamera, buildFarm, registerFarmCamera } from '../../../test/factories/agri.ts';
import { plainPicture } from '../../../test/factories/monitoring.ts';
import { buildHousehold, buildUser, PASSWORD, type Tree } from '../../../test/factories.ts';

const SLOW = 120_000;
const DAY = 86_400_000;
const jpeg = (colour: string) => plainPicture(colour, 64, 48);

describe.each(dialects)('farms, rough edges, on %s', (dialect) => {
  let tree: Tree;
  const households = { own: '', neighbour: '', far: '' };
  const phones = { member: '', worker: '', workerB: '', cadre: '', cadreB: '' };
  const as = (who: keyof typeof phones): Promise<Session> => login(ctx.app, phones[who], PASSWORD);

  const ctx = useTestApp(dialect, async () => {
    const farm = await buildFarm(ctx.deps);
    ({ tree, householdId: households.own } = farm);
    Object.assign(phones, farm.phones);
    households.neighbour = (await buildHousehold(ctx.deps, { region: tree.groupA2, headName: '白国华' })).id;
    households.far = (await buildHousehold(ctx.deps, { region: tree.groupB1, headName: '田永福' })).id;
    phones.cadreB = (await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageB })).phone;
  });

  const day = (offset: number) => new Date(ctx.clock.now + 8 * 3_600_000 + offset * DAY).toISOString().slice(0, 10);
  const count = async (table: 'agri_weather' | 'agri_observations') =>
    Number(
      (
        await ctx.deps.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  /** The answer is a 400 whose body never repeats what was sent. */
  const refusedWithout = (answer: { statusCode: number; body: string }, ...sent: string[]) => {
    expect(answer.statusCode).toBe(400);
    for (const text of sent) expect(answer.body).not.toContain(text);
  };

  it(
    'refuses weather days that do not exist or lie beyond the forecast window, in the feed (CSV, JSON) and by hand, keeping nothing',
    async () => {
      const worker = await as('worker');
      const code = tree.townshipA.code;
      const csv = (date: string) =>
        `region_code,date,min_temp_c,max_temp_c,rain_mm,conditions\n${code},${day(0)},3,9,0,\n${code},${date},1,6,2,\n`;
      const send = (body: string, type: 'text/csv' | 'application/json') =>
        worker.request({ method: 'POST', url: '/api/agri/weather/import', headers: { 'content-type': type }, payload: body });
      const json = (date: string) => JSON.stringify({ entries: [{ regionCode: code, date, minTempC: 1, maxTempC: 6, rainMm: 0 }] });
      for (const date of ['2099-12-31', '2026-02-30', '2026-13-01', day(16), day(-400)]) {
        const fromCsv = await send(csv(date), 'text/csv');
        refusedWithout(fromCsv, date);
        expect(fromCsv.json().error).toMatchObject({ code: 'weather_feed_invalid' });
        expect(fromCsv.json().error.message).toContain('3');
        refusedWithout(await send(json(date), 'application/json'), date);
        const byHand = await worker.post('/api/agri/weather', { regionId: tree.townshipA.id, date, minTempC: 1, maxTempC: 6, rainMm: 0 });
        refusedWithout(byHand, date);
      }
      expect(await count('agri_weather')).toBe(0);

      // Today, a year back and the fortnight ahead of a forecast are kept.
      expect((await send(csv(day(15)), 'text/csv')).json().imported).toBe(2);
      expect((await send(json(day(-300)), 'application/json')).statusCode).toBe(200);
      expect(
        (await worker.post('/api/agri/weather', { regionId: tree.townshipA.id, date: day(1), minTempC: 1, maxTempC: 6, rainMm: 0 }))
          .statusCode,
      ).toBe(201);
      expect(await count('agri_weather')).toBe(4);
    },
    SLOW,
  );

  it(
    'refuses a time-lapse day that does not exist or has not come yet (400, not repeated), and shows today',
    async () => {
      const cadre = await as('cadre');
      const cameraId = (await registerFarmCamera(cadre, tree.groupA1.id, '李子园')).id;
      expect((await attachFarmCamera(cadre, cameraId, households.own, '李子园')).statusCode).toBe(200);
      const member = await as('member');
      for (const date of ['2099-01-01', '2026-02-30', '2025-04-31', day(1), '1999-12-31']) {
        refusedWithout(await member.get(`/api/monitoring/cameras/${cameraId}/time-lapse/${date}`), date);
      }
      const today = await member.get(`/api/monitoring/cameras/${cameraId}/time-lapse/${day(0)}`);
      expect(today.statusCode).toBe(200);
      expect(today.json()).toEqual({ day: day(0), items: [] });
    },
    SLOW,
  );

  it(
    'lists the observations of every farm of the township for its extension worker: by kind, pest and day, page by page, audited',
    async () => {
      const worker = await as('worker');
      const ownPlot = (
        await worker.post(`/api/agri/farms/${households.own}/plots`, { name: '猕猴桃园', kind: 'orchard', crop: 'kiwifruit', areaMu: 3 })
      ).json().id as string;
      const neighbourFlock = (
        await worker.post(`/api/agri/farms/${households.neighbour}/flocks`, { name: '林下鸡', species: 'forestChicken', headCount: 200 })
      ).json().id as string;
      const farFlock = (
        await (
          await as('workerB')
        ).post(`/api/agri/farms/${households.far}/flocks`, {
          name: '林下鸡',
          species: 'forestChicken',
          headCount: 100,
        })
      ).json().id as string;
      const observe = async (who: Session, householdId: string, body: Record<string, unknown>) => {
        const answer = await who.post(`/api/agri/farms/${householdId}/observations`, body);
        expect(answer.statusCode).toBe(201);
        return answer.json().id as string;
      };
      const softRot = await observe(worker, households.own, { plotId: ownPlot, kind: 'pest', observedOn: day(-3), pest: 'kiwiSoftRot' });
      const stage = await observe(worker, households.own, { plotId: ownPlot, kind: 'growth', observedOn: day(-1), growthStage: 'dormant' });
      const deaths = await observe(worker, households.neighbour, {
        flockId: neighbourFlock,
        kind: 'death',
        observedOn: day(-2),
        deaths: 3,
      });
      const sale = await observe(worker, households.neighbour, {
        flockId: neighbourFlock,
        kind: 'sale',
        observedOn: day(-10),
        quantityKg: 50,
        priceYuanPerKg: 36,
      });
      const elsewhere = await observe(await as('workerB'), households.far, {
        flockId: farFlock,
        kind: 'death',
        observedOn: day(0),
        deaths: 1,
      });

      const all = (await worker.get('/api/agri/observations')).json();
      // Newest observed day first, across both farms of the township, and none of the other township's.
      expect(all.items.map((o: { id: string }) => o.id)).toEqual([stage, deaths, softRot, sale]);
      expect(all.items[1]).toMatchObject({ householdId: households.neighbour, headName: '白国华', kind: 'death', deaths: 3 });
      expect(all.nextCursor).toBeNull();

      const ids = async (query: string) =>
        ((await worker.get(`/api/agri/observations?${query}`)).json().items as { id: string }[]).map((o) => o.id);
      expect(await ids('kind=death')).toEqual([deaths]);
      expect(await ids('kind=pest&pest=kiwiSoftRot')).toEqual([softRot]);
      expect(await ids('pest=pricklyAshRust')).toEqual([]);
      expect(await ids(`from=${day(-3)}&to=${day(-2)}`)).toEqual([deaths, softRot]);
      expect(await ids(`regionId=${tree.groupA2.id}`)).toEqual([deaths, sale]);

      // Page by page (limit 1): each once, in order, then no further cursor.
      const seen: string[] = [];
      let cursor: string | null = '';
      while (cursor !== null) {
        const page: { items: { id: string }[]; nextCursor: string | null } = (
          await worker.get(`/api/agri/observations?limit=1${cursor ? `&cursor=${cursor}` : ''}`)
        ).json();
        seen.push(...page.items.map((o) => o.id));
        cursor = page.nextCursor;
        expect(seen.length).toBeLessThanOrEqual(4);
      }
      expect(seen).toEqual([stage, deaths, softRot, sale]);

      // Each reads its own places only: the other township's worker, and a village cadre of each village.
      expect((await (await as('workerB')).get('/api/agri/observations')).json().items.map((o: { id: string }) => o.id)).toEqual([
        elsewhere,
      ]);
      expect((await (await as('cadre')).get('/api/agri/observations?kind=death')).json().items.map((o: { id: string }) => o.id)).toEqual([
        deaths,
      ]);
      expect((await (await as('cadreB')).get('/api/agri/observations')).json().items.map((o: { id: string }) => o.id)).toEqual([elsewhere]);
      expect((await worker.get(`/api/agri/observations?regionId=${tree.townshipB.id}`)).statusCode).toBe(404);

      // Strict: a day that does not exist, an unknown kind or pest, a cursor we did not make; never repeated.
      refusedWithout(await worker.get('/api/agri/observations?from=2026-02-30'), '2026-02-30');
      refusedWithout(await worker.get('/api/agri/observations?kind=unicorn'), 'unicorn');
      refusedWithout(await worker.get('/api/agri/observations?pest=gremlins'), 'gremlins');
      refusedWithout(await worker.get('/api/agri/observations?cursor=bm90LWEtY3Vyc29y'), 'bm90LWEtY3Vyc29y');
      // A villager's own farm is the whole of their place.
      expect((await (await as('member')).get('/api/agri/observations')).json().items.map((o: { id: string }) => o.id)).toEqual([
        stage,
        softRot,
      ]);

      const looks = await ctx.deps.db
        .selectFrom('audit_log')
        .select(['outcome', 'actor_user_id'])
        .where('action', '=', 'agri.observations.list')
        .execute();
      expect(looks.length).toBeGreaterThanOrEqual(13);
    },
    SLOW,
  );

  it(
    'keeps up to six photos on one observation, each seen with it; a seventh is refused and nothing is kept',
    async () => {
      const member = await as('member');
      const plotId = (
        await member.post(`/api/agri/farms/${households.own}/plots`, { name: '李子园', kind: 'orchard', crop: 'plum', areaMu: 6 })
      ).json().id as string;
      const colours = ['#4a7', '#a74', '#47a', '#7a4', '#a47', '#74a', '#444'];
      const photoIds: string[] = [];
      for (const colour of colours) {
        const photo = await member.request({
          method: 'POST',
          url: '/api/agri/photos',
          headers: { 'content-type': 'image/jpeg' },
          payload: await jpeg(colour),
        });
        expect(photo.statusCode).toBe(201);
        photoIds.push(photo.json().id as string);
      }
      const body = { plotId, kind: 'pest', pest: 'other', observedOn: day(0), note: '叶子、果子、整棵树' };
      const before = await count('agri_observations');
      const seven = await member.post(`/api/agri/farms/${households.own}/observations`, { ...body, photoIds });
      expect(seven.statusCode).toBe(400);
      expect(await count('agri_observations')).toBe(before);

      const six = await member.post(`/api/agri/farms/${households.own}/observations`, { ...body, photoIds: photoIds.slice(0, 6) });
      expect(six.statusCode).toBe(201);
      expect(six.json().photoIds).toEqual(photoIds.slice(0, 6));
      const listed = (await member.get(`/api/agri/farms/${households.own}/observations`)).json().items[0];
      expect(listed.photoIds).toEqual(photoIds.slice(0, 6));
      const worker = await as('worker');
      for (const id of photoIds.slice(0, 6)) expect((await worker.get(`/api/agri/photos/${id}?variant=thumb`)).statusCode).toBe(200);
      // The seventh stayed the member's own, free for the next observation.
      const next = await member.post(`/api/agri/farms/${households.own}/observations`, { ...body, photoIds: [photoIds[6]] });
      expect(next.statusCode).toBe(201);
    },
    SLOW,
  );

  it(
    'refuses sales and yields no farm could give, prices out of all reason and days before the farm records begin, keeping nothing',
    async () => {
      const member = await as('member');
      const own = households.own;
      const plotId = (await member.post(`/api/agri/farms/${own}/plots`, { name: '茶园', kind: 'teaGarden', crop: 'tea', areaMu: 2 })).json()
        .id as string;
      const flockId = (
        await member.post(`/api/agri/farms/${own}/flocks`, { name: '林下鸡', species: 'forestChicken', headCount: 100 })
      ).json().id as string;
      const sale = { flockId, kind: 'sale', observedOn: day(-1), quantityKg: 300, priceYuanPerKg: 36 };
      const refusedNaming = (
        answer: { statusCode: number; body: string; json: () => { error: { message: string } } },
        field: string,
        ...sent: string[]
      ) => {
        refusedWithout(answer, ...sent);
        expect(answer.json().error).toMatchObject({ code: 'agri_value_implausible' });
        expect(answer.json().error.message).toContain(field);
      };
      // The attack of issue 17: ten million kg at 100,000 yuan a kg, twice.
      for (let i = 0; i < 2; i++) {
        const big = await member.post(`/api/agri/farms/${own}/observations`, { ...sale, quantityKg: 10_000_000, priceYuanPerKg: 100_000 });
        refusedWithout(big, '10000000', '100000');
      }
      refusedNaming(
        await member.post(`/api/agri/farms/${own}/observations`, { ...sale, priceYuanPerKg: 1000.5 }),
        'priceYuanPerKg',
        '1000.5',
      );
      refusedNaming(
        await member.post(`/api/agri/farms/${own}/observations`, { ...sale, priceYuanPerKg: 0.005 }),
        'priceYuanPerKg',
        '0.005',
      );
      // 100 chickens give at most 1,000 kg; 2 mu at most 20,000 kg.
      refusedNaming(await member.post(`/api/agri/farms/${own}/observations`, { ...sale, quantityKg: 1001 }), 'quantityKg', '1001');
      const plotYield = { plotId, kind: 'yield', observedOn: day(-1), quantityKg: 20_001 };
      refusedNaming(await member.post(`/api/agri/farms/${own}/observations`, plotYield), 'quantityKg', '20001');
      for (const observedOn of ['0000-01-01', '1900-01-01', '1999-12-31']) {
        const old = await member.post(`/api/agri/farms/${own}/observations`, { ...sale, observedOn });
        refusedWithout(old, observedOn);
        expect(old.json().error).toMatchObject({ code: 'agri_date_too_early' });
      }
      expect(await count('agri_observations')).toBe(0);
      refusedWithout(await member.patch(`/api/agri/flocks/${flockId}`, { startedOn: '1000-01-01' }), '1000-01-01');
      refusedWithout(
        await member.post(`/api/agri/farms/${own}/flocks`, { name: '鸭', species: 'duck', headCount: 10, startedOn: '1999-12-31' }),
        '1999-12-31',
      );
      refusedWithout(await member.patch(`/api/agri/plots/${plotId}`, { plantedOn: '1949-12-31' }), '1949-12-31');

      // At the bounds they are kept: 1,000 kg of 100 chickens at 1,000 yuan, 20,000 kg of 2 mu, an old tea garden, a 2000 flock.
      expect(
        (await member.post(`/api/agri/farms/${own}/observations`, { ...sale, quantityKg: 1000, priceYuanPerKg: 1000 })).statusCode,
      ).toBe(201);
      expect(
        (await member.post(`/api/agri/farms/${own}/observations`, { ...sale, priceYuanPerKg: 0.01, observedOn: '2000-01-01' })).statusCode,
      ).toBe(201);
      expect((await member.post(`/api/agri/farms/${own}/observations`, { ...plotYield, quantityKg: 20_000 })).statusCode).toBe(201);
      expect((await member.patch(`/api/agri/plots/${plotId}`, { plantedOn: '1950-01-01' })).statusCode).toBe(200);
      expect((await member.patch(`/api/agri/flocks/${flockId}`, { startedOn: '2000-01-01' })).statusCode).toBe(200);
      expect(await count('agri_observations')).toBe(3);
    },
    SLOW,
  );
});
