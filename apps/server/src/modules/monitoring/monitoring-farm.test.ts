// Farm cameras on each database: a cadre attaches a farm camera to a household's flock, its
// pictures become a time-lapse (one a day nearest an hour, paged by day; every picture of a day)
// that the household's members and the place's cadres see and another villager does not, every
// look and refusal audited; farmTimeLapse gives agriculture the same frames.
import { describe, expect, it } from 'vitest';
import { dialects, login, type Session, useTestApp } from '../../../test/build-test-app.ts';
import { cameraInput, plainPicture } from '../../../test/factories/monitoring.ts';
import { buildHousehold, buildPerson, buildTree, buildUser, PASSWORD, type Tree } from '../../../test/factories.ts';
import { farmTimeLapse } from './monitoring-farm.service.ts';
import { beijingDay, pickDaily } from './time-lapse.ts';

const HOUR = 3_600_000;
/** Sign-ins and pictures on a loaded two-core machine take their time. */
const SLOW = 120_000;

describe('pickDaily', () => {
  it(
    'keeps, per Beijing day, the picture nearest the hour, newest day first',
    () => {
      const at = (iso: string) => Date.parse(iso);
      const captures = [
        { id: 'd2-18', capturedAt: at('2026-11-21T18:00:00+08:00') },
        { id: 'd2-11', capturedAt: at('2026-11-21T11:00:00+08:00') },
        { id: 'd2-07', capturedAt: at('2026-11-21T07:00:00+08:00') },
        { id: 'd1-23', capturedAt: at('2026-11-20T23:30:00+08:00') },
        { id: 'd1-01', capturedAt: at('2026-11-20T01:00:00+08:00') },
      ];
      expect(pickDaily(captures, 12)).toEqual([
        { day: '2026-11-21', capture: captures[1] },
        // 01:00 is 11 hours from noon, 23:30 eleven and a half.
        { day: '2026-11-20', capture: captures[4] },
      ]);
      expect(pickDaily(captures, 20).map((p) => p.capture.id)).toEqual(['d2-18', 'd1-23']);
      expect(pickDaily(captures, 6).map((p) => p.capture.id)).toEqual(['d2-07', 'd1-01']);
      // 23:30 Beijing is 15:30 UTC the same day: the day is Beijing's.
      expect(beijingDay(at('2026-11-20T23:30:00+08:00'))).toBe('2026-11-20');
      expect(beijingDay(at('2026-11-21T00:30:00+08:00'))).toBe('2026-11-21');
    },
    SLOW,
  );
});

describe.each(dialects)('farm cameras on %s', (dialect) => {
  let tree: Tree;
  let household = '';
  const phones = { cadre: '', township: '', member: '', neighbour: '', cadreB: '' };
  const as = (who: keyof typeof phones): Promise<Session> => login(ctx.app, phones[who], PASSWORD);

  const ctx = useTestApp(dialect, async () => {
    tree = await buildTree(ctx.deps);
    phones.cadre = (await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA })).phone;
    phones.township = (await buildUser(ctx.deps, { role: 'townshipOfficial', region: tree.townshipA })).phone;
    phones.cadreB = (await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageB })).phone;
    household = (await buildHousehold(ctx.deps, { region: tree.groupA1, headName: '王国娥' })).id;
    const member = await buildPerson(ctx.deps, { region: tree.groupA1, householdId: household, name: '王国娥' });
    phones.member = (await buildUser(ctx.deps, { role: 'villager', region: tree.groupA1, personId: member.id })).phone;
    const other = (await buildHousehold(ctx.deps, { region: tree.groupA1 })).id;
    const neighbour = await buildPerson(ctx.deps, { region: tree.groupA1, householdId: other });
    phones.neighbour = (await buildUser(ctx.deps, { role: 'villager', region: tree.groupA1, personId: neighbour.id })).phone;
  });

  const audits = (action: string) =>
    ctx.deps.db.selectFrom('audit_log').select(['outcome', 'details', 'target_id']).where('action', '=', action).orderBy('id').execute();

  const farmCamera = async () => {
    const made = await (await as('cadre')).post(
      '/api/monitoring/cameras',
      cameraInput(tree.groupA1.id, {
        name: '林下鸡舍',
        directionDegrees: 180,
        owner: '王国娥',
        purpose: 'farm',
        publicSignRef: undefined,
        retentionDays: 90,
      }),
    );
    expect(made.statusCode).toBe(201);
    return made.json() as { camera: { id: string }; pushKey: string };
  };

  const pushAt = async (camera: { camera: { id: string }; pushKey: string }, iso: string, shade: number) => {
    const picture = await plainPicture({ r: shade, g: 120, b: 60 }, 160, 90);
    const response = await ctx.app.inject({
      method: 'POST',
      url: `/api/monitoring/cameras/${camera.camera.id}/snapshots?capturedAt=${encodeURIComponent(iso)}`,
      headers: { 'content-type': 'image/jpeg', authorization: `Bearer ${camera.pushKey}` },
      payload: picture,
    });
    expect(response.statusCode).toBe(201);
    return (response.json() as { id: string }).id;
  };

  /** Three days of pictures at 07:00, 12:10 and 17:00 Beijing time, ending three days ago. */
  const threeDays = async (camera: { camera: { id: string }; pushKey: string }) => {
    const ids: Record<string, string> = {};
    const base = ctx.deps.now() - 6 * 24 * HOUR;
    const days: string[] = [];
    for (let d = 0; d < 3; d++) {
      const day = beijingDay(base + d * 24 * HOUR);
      days.push(day);
      for (const [hhmm, shade] of [
        ['07:00', 40],
        ['12:10', 120],
        ['17:00', 200],
      ] as const) {
        ids[`${day} ${hhmm}`] = await pushAt(camera, `${day}T${hhmm}:00+08:00`, shade + d);
      }
    }
    return { ids, days };
  };

  const attach = (who: keyof typeof phones, cameraId: string, body: Record<string, unknown>) =>
    as(who).then((s) => s.request({ method: 'PUT', url: `/api/monitoring/cameras/${cameraId}/farm-subject`, payload: body }));

  it(
    'attaches a farm camera to a household’s flock: cadres of the place only, farm cameras only',
    async () => {
      const camera = await farmCamera();
      const body = { householdId: household, kind: 'flock', label: '林下鸡 300 羽' };
      expect((await attach('member', camera.camera.id, body)).statusCode).toBe(404);
      expect((await attach('cadreB', camera.camera.id, body)).statusCode).toBe(404);
      const made = await attach('cadre', camera.camera.id, body);
      expect(made.statusCode).toBe(200);
      expect(made.json()).toMatchObject({
        cameraId: camera.camera.id,
        householdId: household,
        kind: 'flock',
        label: '林下鸡 300 羽',
        agriSubjectId: null,
      });
      expect((await audits('monitoring.farm.attach')).map((a) => a.outcome)).toEqual(['denied', 'denied', 'ok']);
      // A market-town camera is not a farm camera; an unknown household is not found.
      const street = await (await as('cadre')).post(
        '/api/monitoring/cameras',
        cameraInput(tree.groupA1.id, {
          name: '集镇',
          latitude: 28.8,
          longitude: 108.7,
          directionDegrees: 0,
          owner: '镇政府',
          publicSignRef: 'GS-1',
        }),
      );
      const notFarm = await attach('cadre', street.json().camera.id, body);
      expect([notFarm.statusCode, notFarm.json().error.code]).toEqual([409, 'camera_not_farm']);
      const unknown = await attach('cadre', camera.camera.id, { ...body, householdId: '01900000-0000-7000-8000-000000000000' });
      expect(unknown.statusCode).toBe(404);
      // The household sees its own subject; the neighbour sees none.
      expect((await (await as('member')).get('/api/monitoring/farm-subjects')).json().items).toHaveLength(1);
      expect((await (await as('neighbour')).get('/api/monitoring/farm-subjects')).json().items).toEqual([]);
      expect((await (await as('township')).get('/api/monitoring/farm-subjects')).json().items).toHaveLength(1);
    },
    SLOW,
  );

  it(
    'pages the time-lapse by day for the household and the township; another villager is refused, all audited',
    async () => {
      const camera = await farmCamera();
      await attach('cadre', camera.camera.id, { householdId: household, kind: 'flock', label: '林下鸡' });
      const { ids, days } = await threeDays(camera);
      const member = await as('member');
      const url = `/api/monitoring/cameras/${camera.camera.id}/time-lapse`;
      const first = await member.get(`${url}?hour=12&limit=2`);
      expect(first.statusCode).toBe(200);
      expect(first.json().items.map((f: { day: string; snapshot: { id: string } }) => [f.day, f.snapshot.id])).toEqual([
        [days[2], ids[`${days[2]} 12:10`]],
        [days[1], ids[`${days[1]} 12:10`]],
      ]);
      const second = await member.get(`${url}?hour=12&limit=2&cursor=${first.json().nextCursor}`);
      expect(second.json().items.map((f: { day: string }) => f.day)).toEqual([days[0]]);
      expect(second.json().nextCursor).toBeNull();
      const evening = await member.get(`${url}?hour=19`);
      expect(evening.json().items.map((f: { snapshot: { id: string } }) => f.snapshot.id)).toEqual(
        days.map((d) => ids[`${d} 17:00`]).reverse(),
      );
      const day = await member.get(`${url}/${days[1]}`);
      expect(day.json().items.map((s: { id: string }) => s.id)).toEqual(['07:00', '12:10', '17:00'].map((t) => ids[`${days[1]} ${t}`]));
      const image = await member.get(`${url}/snapshots/${ids[`${days[1]} 07:00`]}/image?variant=thumb`);
      expect([image.statusCode, image.headers['content-type']]).toEqual([200, 'image/jpeg']);
      // The township official sees it too; the neighbour and another village do not.
      expect((await (await as('township')).get(url)).statusCode).toBe(200);
      expect((await (await as('neighbour')).get(url)).statusCode).toBe(404);
      expect((await (await as('neighbour')).get(`${url}/snapshots/${ids[`${days[1]} 07:00`]}/image`)).statusCode).toBe(404);
      expect((await (await as('cadreB')).get(`${url}/${days[1]}`)).statusCode).toBe(404);
      const reads = await audits('monitoring.timelapse.read');
      expect(reads.filter((a) => a.outcome === 'ok')).toHaveLength(5);
      expect(reads.filter((a) => a.outcome === 'denied')).toHaveLength(2);
      const views = await audits('monitoring.timelapse.view');
      expect(views.map((a) => a.outcome)).toEqual(['ok', 'denied']);
      // A picture of another camera is not reached through this one.
      const other = await farmCamera();
      const foreign = await pushAt(other, `${days[0]}T09:00:00+08:00`, 10);
      expect((await member.get(`${url}/snapshots/${foreign}/image`)).statusCode).toBe(404);
    },
    SLOW,
  );

  it(
    'gives agriculture one frame a day per subject, oldest first',
    async () => {
      const camera = await farmCamera();
      await attach('cadre', camera.camera.id, { householdId: household, kind: 'plot', label: '脆红李果园' });
      const { ids, days } = await threeDays(camera);
      const frames = await farmTimeLapse(ctx.deps, { householdId: household }, { from: 0, to: ctx.deps.now(), hour: 7 });
      expect(frames.map((f) => [f.day, f.snapshotId, f.kind, f.label])).toEqual(
        days.map((d) => [d, ids[`${d} 07:00`], 'plot', '脆红李果园']),
      );
      const oneDay = await farmTimeLapse(
        ctx.deps,
        { cameraId: camera.camera.id },
        { from: Date.parse(`${days[2]}T00:00:00+08:00`), to: ctx.deps.now() },
      );
      expect(oneDay.map((f) => f.snapshotId)).toEqual([ids[`${days[2]} 12:10`]]);
    },
    SLOW,
  );
});
