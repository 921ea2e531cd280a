// Farms on each database: a household keeps its plots and flocks on the phone and the township's
// extension worker keeps them too, every change in the farm's history; impossible areas, head
// counts, future dates and non-photos are refused with nothing stored; other households, other
// townships and cadres who may only read are refused, and every look and refusal is audited.
import { describe, expect, it } from 'vitest';
import { dialects, login, type Session, useTestApp } from '../../../test/build-test-app.ts';
import { attachFarmCamera, buildFarm, buildFarmHousehold, registerFarmCamera } from '../../../test/factories/agri.ts';
import { plainPicture } from '../../../test/factories/monitoring.ts';
import { buildHousehold, PASSWORD, type Tree } from '../../../test/factories.ts';
import { purgeFreePhotos } from './agri.privacy.ts';

const SLOW = 120_000;
const jpeg = () => plainPicture('#4a7', 64, 48);

describe.each(dialects)('farms on %s', (dialect) => {
  let tree: Tree;
  let household = '';
  let householdB = '';
  const phones = { member: '', neighbour: '', worker: '', workerB: '', cadre: '' };
  const as = (who: keyof typeof phones): Promise<Session> => login(ctx.app, phones[who], PASSWORD);

  const ctx = useTestApp(dialect, async () => {
    const farm = await buildFarm(ctx.deps);
    ({ tree, householdId: household } = farm);
    Object.assign(phones, farm.phones);
    phones.neighbour = (await buildFarmHousehold(ctx.deps, { region: tree.groupA1 })).phone;
    householdB = (await buildHousehold(ctx.deps, { region: tree.groupB1 })).id;
  });

  const count = async (table: 'agri_plots' | 'agri_flocks' | 'agri_observations' | 'agri_photos' | 'agri_changes') =>
    Number(
      (
        await ctx.deps.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const audits = (action: string) =>
    ctx.deps.db.selectFrom('audit_log').select(['outcome', 'target_id']).where('action', '=', action).orderBy('id').execute();
  const plot = { name: '猕猴桃园', kind: 'orchard', crop: 'kiwifruit', variety: '红阳', areaMu: 3.5, plantedOn: '2019-03-10' };
  const flock = { name: '林下鸡', species: 'forestChicken', headCount: 300, startedOn: '2026-06-01' };

  it(
    'the household adds, changes and removes plots and flocks; the history keeps each change and who made it',
    async () => {
      const member = await as('member');
      const made = await member.post(`/api/agri/farms/${household}/plots`, plot);
      expect(made.statusCode).toBe(201);
      const plotId = made.json().id as string;
      expect(made.json()).toMatchObject({ crop: 'kiwifruit', areaMu: 3.5, householdId: household, camera: null });
      const chickens = await member.post(`/api/agri/farms/${household}/flocks`, { ...flock, startedOn: undefined });
      expect(chickens.statusCode).toBe(201);
      expect(chickens.json().ageDays).toBeNull();

      const worker = await as('worker');
      const changed = await worker.patch(`/api/agri/plots/${plotId}`, { areaMu: 4, growthStage: 'dormant' });
      expect(changed.statusCode).toBe(200);
      expect(changed.json().areaMu).toBe(4);

      const farm = await member.get('/api/agri/farms/mine');
      expect(farm.statusCode).toBe(200);
      expect(farm.json().plots).toHaveLength(1);
      expect(farm.json().flocks[0]).toMatchObject({ species: 'forestChicken', headCount: 300 });

      expect((await member.delete(`/api/agri/plots/${plotId}`)).statusCode).toBe(204);
      expect((await member.get(`/api/agri/farms/${household}`)).json().plots).toHaveLength(0);
      expect((await member.patch(`/api/agri/plots/${plotId}`, { areaMu: 2 })).statusCode).toBe(409);

      const history = (await worker.get(`/api/agri/farms/${household}/history`)).json().items as {
        subjectType: string;
        action: string;
        changes: Record<string, { from: unknown; to: unknown }>;
        byName: string;
      }[];
      expect(history.map((h) => `${h.subjectType}.${h.action}`)).toEqual(['plot.retired', 'plot.changed', 'flock.created', 'plot.created']);
      expect(history[1]?.changes.areaMu).toEqual({ from: 3.5, to: 4 });
      expect(history[1]?.byName).toBe('罗正平');
      expect((await audits('agri.farm.read')).length).toBeGreaterThanOrEqual(2);
      expect((await audits('agri.history.read')).every((a) => a.target_id === household)).toBe(true);
    },
    SLOW,
  );

  it(
    'refuses impossible areas, head counts, future dates (400) and non-photos (415), storing nothing',
    async () => {
      const member = await as('member');
      const tomorrow = new Date(ctx.clock.now + 8 * 3_600_000 + 86_400_000).toISOString().slice(0, 10);
      const plots = await count('agri_plots');
      for (const areaMu of [0, -1, 10_001, Number.NaN]) {
        const refused = await member.post(`/api/agri/farms/${household}/plots`, { ...plot, areaMu });
        expect(refused.statusCode).toBe(400);
      }
      const future = await member.post(`/api/agri/farms/${household}/plots`, { ...plot, plantedOn: tomorrow });
      expect(future.statusCode).toBe(400);
      expect(future.json().error.code).toBe('agri_date_in_future');
      expect((await member.post(`/api/agri/farms/${household}/plots`, { ...plot, plantedOn: '2026-02-30' })).statusCode).toBe(400);
      expect(await count('agri_plots')).toBe(plots);

      const flocks = await count('agri_flocks');
      for (const headCount of [0, -5, 100_001, 2.5]) {
        expect((await member.post(`/api/agri/farms/${household}/flocks`, { ...flock, headCount })).statusCode).toBe(400);
      }
      expect(await count('agri_flocks')).toBe(flocks);

      const chickens = (await member.post(`/api/agri/farms/${household}/flocks`, flock)).json().id as string;
      const observations = await count('agri_observations');
      const bad = [
        { flockId: chickens, kind: 'growth', observedOn: tomorrow, growthStage: 'laying' },
        { flockId: chickens, kind: 'death', observedOn: '2026-11-01', deaths: 301 },
        { flockId: chickens, kind: 'sale', observedOn: '2026-11-01', quantityKg: 10 },
        { kind: 'growth', observedOn: '2026-11-01', growthStage: 'laying' },
        { flockId: chickens, kind: 'pest', observedOn: '2026-11-01', pest: 'not-a-pest' },
      ];
      for (const body of bad) expect((await member.post(`/api/agri/farms/${household}/observations`, body)).statusCode).toBe(400);
      expect(await count('agri_observations')).toBe(observations);

      const photos = await count('agri_photos');
      const notPhoto = await member.request({
        method: 'POST',
        url: '/api/agri/photos',
        headers: { 'content-type': 'image/jpeg' },
        payload: Buffer.from('%PDF-1.4 not a picture at all'),
      });
      // The platform's answer to a file that is not a picture: 415, not_an_image.
      expect(notPhoto.statusCode).toBe(415);
      expect(notPhoto.json().error.code).toBe('not_an_image');
      expect(await count('agri_photos')).toBe(photos);
    },
    SLOW,
  );

  it(
    'records observations with photos; deaths lower the head count; a retried write (Idempotency-Key) is done once',
    async () => {
      const member = await as('member');
      const chickens = (await member.post(`/api/agri/farms/${household}/flocks`, flock)).json().id as string;
      const photo = await member.request({
        method: 'POST',
        url: '/api/agri/photos',
        headers: { 'content-type': 'image/jpeg' },
        payload: await jpeg(),
      });
      expect(photo.statusCode).toBe(201);
      const photoId = photo.json().id as string;
      const body = { flockId: chickens, kind: 'death', observedOn: '2026-11-20', deaths: 4, note: '暴雨后', photoIds: [photoId] };
      const headers = { 'idempotency-key': 'obs-1' };
      const first = await member.post(`/api/agri/farms/${household}/observations`, body, headers);
      const again = await member.post(`/api/agri/farms/${household}/observations`, body, headers);
      expect(first.statusCode).toBe(201);
      expect(again.json().id).toBe(first.json().id);
      expect(first.json()).toMatchObject({ kind: 'death', source: 'household', deaths: 4, photoIds: [photoId] });
      const farm = (await member.get('/api/agri/farms/mine')).json();
      expect(farm.flocks.find((f: { id: string }) => f.id === chickens).headCount).toBe(296);
      const [lastChange] = (await member.get(`/api/agri/farms/${household}/history`)).json().items;
      expect(lastChange).toMatchObject({ subjectType: 'flock', action: 'changed', changes: { headCount: { from: 300, to: 296 } } });

      const sale = await (await as('worker')).post(`/api/agri/farms/${household}/observations`, {
        flockId: chickens,
        kind: 'sale',
        observedOn: '2026-11-21',
        quantityKg: 120,
        priceYuanPerKg: 36,
      });
      expect(sale.json()).toMatchObject({ source: 'extensionWorker', amountYuan: 4320 });
      // The photo belongs to the observation now: not to be attached twice, and seen by the farm's readers.
      expect((await member.post(`/api/agri/farms/${household}/observations`, { ...body, observedOn: '2026-11-22' })).statusCode).toBe(404);
      const seen = await (await as('cadre')).get(`/api/agri/photos/${photoId}`);
      expect(seen.statusCode).toBe(200);
      // Kept by no browser: a shared phone must not show it after sign-out (security recheck, item 3).
      expect(seen.headers['cache-control']).toBe('private, no-store');
      expect((await (await as('neighbour')).get(`/api/agri/photos/${photoId}`)).statusCode).toBe(404);
      const list = (await member.get(`/api/agri/farms/${household}/observations`)).json();
      expect(list.items.map((o: { kind: string }) => o.kind)).toEqual(['sale', 'death']);

      // A photo uploaded and never used is removed a day later; the observation's stays.
      const unused = (
        await member.request({ method: 'POST', url: '/api/agri/photos', headers: { 'content-type': 'image/jpeg' }, payload: await jpeg() })
      ).json();
      ctx.clock.advance(25 * 3_600_000);
      expect(await purgeFreePhotos(ctx.deps)).toBe(1);
      const later = await as('member');
      expect((await later.get(`/api/agri/photos/${unused.id}`)).statusCode).toBe(404);
      expect((await later.get(`/api/agri/photos/${photoId}`)).statusCode).toBe(200);
    },
    SLOW,
  );

  it(
    'refuses other households, other townships and read-only cadres, and audits the refusals',
    async () => {
      const member = await as('member');
      const plotId = (await member.post(`/api/agri/farms/${household}/plots`, plot)).json().id as string;
      const neighbour = await as('neighbour');
      expect((await neighbour.get(`/api/agri/farms/${household}`)).statusCode).toBe(404);
      expect((await neighbour.post(`/api/agri/farms/${household}/plots`, plot)).statusCode).toBe(404);
      expect((await neighbour.patch(`/api/agri/plots/${plotId}`, { areaMu: 1 })).statusCode).toBe(404);
      const workerB = await as('workerB');
      expect((await workerB.get(`/api/agri/farms/${household}`)).statusCode).toBe(404);
      expect((await workerB.post(`/api/agri/farms/${household}/plots`, plot)).statusCode).toBe(404);
      const cadre = await as('cadre');
      expect((await cadre.get(`/api/agri/farms/${household}`)).statusCode).toBe(200);
      // A village cadre reads farms; the household and the extension worker keep them.
      expect((await cadre.post(`/api/agri/farms/${household}/plots`, plot)).statusCode).toBe(403);
      expect((await cadre.get(`/api/agri/farms/${householdB}`)).statusCode).toBe(404);
      const listed = (await cadre.get('/api/agri/farms')).json().items as { household: { id: string } }[];
      expect(listed.map((f) => f.household.id)).toEqual([household]);
      expect((await neighbour.get('/api/agri/farms/mine')).statusCode).toBe(200);
      expect((await neighbour.get(`/api/agri/farms?regionId=${tree.villageB.id}`)).statusCode).toBe(404);
      const denied = (await audits('agri.farm.read')).filter((a) => a.outcome === 'denied');
      expect(denied.map((a) => a.target_id)).toEqual([household, household, householdB]);
      // The cadre holds no agri.farm anywhere: refused at the route (403) before any farm is looked up.
      expect((await audits('agri.plot.create')).filter((a) => a.outcome === 'denied')).toHaveLength(2);
      expect(await count('agri_plots')).toBe(1);
    },
    SLOW,
  );

  it(
    'links a farm camera attached on the camera desk to a plot: one tap to its time-lapse, its pictures become observations',
    async () => {
      const cadre = await as('cadre');
      const camera = await registerFarmCamera(cadre, tree.groupA1.id, '猕猴桃园');
      const member = await as('member');
      const plotId = (await member.post(`/api/agri/farms/${household}/plots`, plot)).json().id as string;
      // Not attached to this household on the camera desk yet: nothing to link.
      expect(
        (await member.request({ method: 'PUT', url: `/api/agri/plots/${plotId}/camera`, payload: { cameraId: camera.id } })).statusCode,
      ).toBe(409);
      expect((await attachFarmCamera(cadre, camera.id, household, '猕猴桃园')).statusCode).toBe(200);
      const linked = await member.request({ method: 'PUT', url: `/api/agri/plots/${plotId}/camera`, payload: { cameraId: camera.id } });
      expect(linked.statusCode).toBe(200);
      expect(linked.json()).toMatchObject({ cameraId: camera.id, subjectId: plotId });
      const farm = (await member.get('/api/agri/farms/mine')).json();
      expect(farm.plots[0].camera).toMatchObject({ cameraId: camera.id, cameraName: '猕猴桃园' });
      expect((await member.get(`/api/monitoring/cameras/${camera.id}/time-lapse`)).statusCode).toBe(200);
      expect(
        (
          await (
            await as('neighbour')
          ).request({ method: 'PUT', url: `/api/agri/plots/${plotId}/camera`, payload: { cameraId: camera.id } })
        ).statusCode,
      ).toBe(404);

      const pushed = await ctx.app.inject({
        method: 'POST',
        url: `/api/monitoring/cameras/${camera.id}/snapshots`,
        headers: { 'content-type': 'image/jpeg', authorization: `Bearer ${camera.pushKey}` },
        payload: await plainPicture('#3a5', 160, 90),
      });
      expect(pushed.statusCode).toBe(201);
      const snapshotId = pushed.json().id as string;
      const body = { cameraId: camera.id, snapshotId, growthStage: 'dormant' };
      const observed = await (await as('worker')).post(`/api/agri/farms/${household}/observations/from-camera`, body);
      expect(observed.statusCode).toBe(201);
      expect(observed.json()).toMatchObject({ source: 'camera', plotId, snapshotId, cameraId: camera.id });
      // The same picture is one observation.
      expect((await member.post(`/api/agri/farms/${household}/observations/from-camera`, body)).json().id).toBe(observed.json().id);
      const image = await member.get(`/api/agri/observations/${observed.json().id}/camera-image?variant=thumb`);
      expect([image.statusCode, image.headers['content-type'], image.headers['cache-control']]).toEqual([
        200,
        'image/jpeg',
        'private, no-store',
      ]);
      expect((await (await as('neighbour')).get(`/api/agri/observations/${observed.json().id}/camera-image`)).statusCode).toBe(404);
      expect((await member.delete(`/api/agri/plots/${plotId}/camera`)).statusCode).toBe(204);
      expect((await member.get('/api/agri/farms/mine')).json().plots[0].camera).toBeNull();
    },
    SLOW,
  );
});
