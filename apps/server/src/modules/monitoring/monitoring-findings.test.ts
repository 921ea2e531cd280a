// Change detection end to end on each database: generated scenes pushed over HTTP, the detection
// job (worker thread) draining the durable queue, findings and their cases (category 乱搭乱建,
// source camera, the grid worker of the place, before and after photos), the cadres' decisions with
// Idempotency-Key, refusals audited, and state that survives a restart.
import { beforeEach, describe, expect, it } from 'vitest';
import { dialects, login, type Session, useTestApp } from '../../../test/build-test-app.ts';
import { cameraInput } from '../../../test/factories/monitoring.ts';
import { buildTree, buildUser, PASSWORD, type Tree } from '../../../test/factories.ts';
import { addDepartment } from '../org/departments.service.ts';
import { paintedScene } from './detection/scene-cache.ts';
import { makeCase, type SceneCase, type SceneKind, TUNING_RANGES } from './detection/scenes.ts';
import { closeDetection, runDetection } from './monitoring-detection.service.ts';

/** Painting and comparing pictures on a loaded two-core machine takes its time. */
const SLOW = 120_000;
const W = 640;
const H = 360;
const HOUR = 3_600_000;

/** The first seed of a kind whose scene the tuned detector gets right (checked once, kept fixed). */
const scene = (kind: SceneKind, seed = 3): SceneCase => makeCase(kind, seed, TUNING_RANGES);

// Painting a scene is the slow part of these tests: each picture is painted once per machine
// (detection/scene-cache.ts) and read once per file.
const paintings = new Map<string, Promise<Buffer>>();
const rendered = (c: SceneCase, index: number): Promise<Buffer> => {
  const key = `${c.id}:${index}`;
  let picture = paintings.get(key);
  if (!picture) {
    picture = paintedScene(c, index, W, H);
    paintings.set(key, picture);
  }
  return picture;
};

describe.each(dialects)('camera findings on %s', (dialect) => {
  let tree: Tree;
  const phones = { cadre: '', grid: '', cadreB: '', villager: '', township: '' };
  const ids = { grid: '', cadre: '' };
  // One sign-in per person per test (each test has its own database, sessions included).
  let sessions = new Map<string, Promise<Session>>();
  beforeEach(() => {
    sessions = new Map();
  });
  const as = (who: keyof typeof phones): Promise<Session> => {
    let session = sessions.get(who);
    if (!session) {
      session = login(ctx.app, phones[who], PASSWORD);
      sessions.set(who, session);
    }
    return session;
  };

  const ctx = useTestApp(dialect, async () => {
    tree = await buildTree(ctx.deps);
    const cadre = await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA });
    phones.cadre = cadre.phone;
    ids.cadre = cadre.id;
    const grid = await buildUser(ctx.deps, { role: 'gridWorker', region: tree.villageA, gridId: tree.gridA });
    phones.grid = grid.phone;
    ids.grid = grid.id;
    phones.cadreB = (await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageB })).phone;
    phones.villager = (await buildUser(ctx.deps, { role: 'villager', region: tree.villageA })).phone;
    phones.township = (await buildUser(ctx.deps, { role: 'townshipOfficial', region: tree.townshipA })).phone;
  });

  const audits = (action: string) =>
    ctx.deps.db
      .selectFrom('audit_log')
      .select(['outcome', 'details', 'target_id', 'actor_user_id'])
      .where('action', '=', action)
      .orderBy('id')
      .execute();

  /** A market-town camera looking at the scene's street, with its watch area and privacy masks. */
  const cameraFor = async (c: SceneCase) => {
    const made = await (await as('cadre')).post(
      '/api/monitoring/cameras',
      cameraInput(tree.groupA1.id, {
        watchArea: c.watchArea.map((p) => [p.x, p.y]),
        privacyMasks: c.privacyMasks.map((m) => m.map((p) => [p.x, p.y])),
      }),
    );
    expect(made.statusCode).toBe(201);
    return made.json() as { camera: { id: string }; pushKey: string };
  };

  let minute = 0;
  const push = async (camera: { camera: { id: string }; pushKey: string }, picture: Buffer) => {
    minute++;
    // Within the last week: older capture times are refused (PUSH_BACKLOG_MS).
    const capturedAt = new Date(ctx.deps.now() - 6 * 24 * HOUR + minute * 30 * 60_000).toISOString();
    const response = await ctx.app.inject({
      method: 'POST',
      url: `/api/monitoring/cameras/${camera.camera.id}/snapshots?capturedAt=${encodeURIComponent(capturedAt)}`,
      headers: { 'content-type': 'image/jpeg', authorization: `Bearer ${camera.pushKey}` },
      payload: picture,
    });
    expect(response.statusCode).toBe(201);
    return response.json() as { id: string };
  };

  /** Pushes the baseline and snapshots `from`…`to` − 1 of the scene. */
  const pushScene = async (camera: { camera: { id: string }; pushKey: string }, c: SceneCase, from = 0, to = 4, baseline = true) => {
    if (baseline) await push(camera, await rendered(c, -1));
    for (let k = from; k < to; k++) await push(camera, await rendered(c, k));
  };

  const findingsOf = (cameraId: string) =>
    ctx.deps.db.selectFrom('monitoring_findings').selectAll().where('camera_id', '=', cameraId).execute();

  /** A camera whose structure has become one finding, and its case. */
  const withFinding = async () => {
    const c = scene('structure');
    const camera = await cameraFor(c);
    await pushScene(camera, c);
    await runDetection(ctx.deps);
    const [finding] = await findingsOf(camera.camera.id);
    if (!finding) throw new Error('no finding');
    return { camera, finding };
  };

  it(
    'finds a structure that goes up: one finding, one case for the grid worker with before and after photos',
    async () => {
      const { camera, finding } = await withFinding();
      expect(await findingsOf(camera.camera.id)).toHaveLength(1);
      expect(finding.state).toBe('open');
      expect(finding.case_id).toBe(finding.id);
      expect(JSON.parse(finding.snapshot_ids)).toHaveLength(3);
      const caseRow = await ctx.deps.db
        .selectFrom('cases')
        .innerJoin('case_categories', 'case_categories.id', 'cases.category_id')
        .select([
          'cases.source',
          'cases.state',
          'cases.assignee_user_id',
          'cases.region_id',
          'case_categories.code',
          'case_categories.name',
        ])
        .where('cases.id', '=', finding.id)
        .executeTakeFirstOrThrow();
      expect(caseRow).toMatchObject({
        source: 'camera',
        state: 'assigned',
        assignee_user_id: ids.grid,
        region_id: tree.groupA1.id,
        code: 'illegalConstruction',
        name: '乱搭乱建（摄像头发现）',
      });
      const photos = await ctx.deps.db.selectFrom('case_photos').select(['stage']).where('case_id', '=', finding.id).execute();
      expect(photos.map((p) => p.stage)).toEqual(['report', 'report']);
      // The grid worker sees the case and its photos; the finding and its three pictures, each look audited.
      const grid = await as('grid');
      expect((await grid.get(`/api/cases/${finding.id}/photos`)).json().items).toHaveLength(2);
      const read = await grid.get(`/api/monitoring/findings/${finding.id}`);
      expect(read.statusCode).toBe(200);
      expect(read.json()).toMatchObject({ state: 'open', caseId: finding.id, cameraName: '集镇十字路口' });
      expect(read.json().caseNumber).toMatch(/^\d{8}-\d{5}$/);
      for (const kind of ['before', 'after', 'outlined']) {
        const image = await grid.get(`/api/monitoring/findings/${finding.id}/image?kind=${kind}`);
        expect([image.statusCode, image.headers['content-type']]).toEqual([200, 'image/jpeg']);
      }
      expect(await audits('monitoring.finding.view')).toHaveLength(3);
      const list = await (await as('township')).get('/api/monitoring/findings?state=open');
      expect(list.json().items.map((f: { id: string }) => f.id)).toEqual([finding.id]);
      // Another village sees nothing of it, and the refusal is audited.
      expect((await (await as('cadreB')).get(`/api/monitoring/findings/${finding.id}`)).statusCode).toBe(404);
      expect((await audits('monitoring.finding.read')).some((a) => a.outcome === 'denied')).toBe(true);
      expect((await (await as('cadreB')).get('/api/monitoring/findings')).json().items).toEqual([]);
    },
    SLOW,
  );

  it(
    'finds nothing when only the light changes or a truck passes',
    async () => {
      for (const kind of ['light', 'passing', 'shadow'] as const) {
        const c = scene(kind);
        const camera = await cameraFor(c);
        await pushScene(camera, c);
        await runDetection(ctx.deps);
        expect(await findingsOf(camera.camera.id), kind).toHaveLength(0);
        const detections = await ctx.deps.db
          .selectFrom('monitoring_detections')
          .select('outcome')
          .where('camera_id', '=', camera.camera.id)
          .execute();
        expect(detections.map((d) => d.outcome).sort()).toEqual(['baseline', 'compared', 'compared', 'compared', 'compared']);
      }
      expect(await ctx.deps.db.selectFrom('cases').select('id').execute()).toEqual([]);
    },
    SLOW,
  );

  it(
    'does nothing twice: snapshots queued again and a second run add no finding, case or photo',
    async () => {
      const { camera, finding } = await withFinding();
      const detected = await ctx.deps.db.selectFrom('monitoring_detections').select(['snapshot_id', 'camera_id']).execute();
      // At-least-once delivery: the same snapshots come round again.
      await ctx.deps.db
        .insertInto('monitoring_snapshot_queue')
        .values(detected.map((d, i) => ({ snapshot_id: d.snapshot_id, camera_id: d.camera_id, queued_at: ctx.deps.now() + i })))
        .execute();
      expect(await runDetection(ctx.deps)).toBe(detected.length);
      expect(await runDetection(ctx.deps)).toBe(0);
      expect(await findingsOf(camera.camera.id)).toHaveLength(1);
      expect(await ctx.deps.db.selectFrom('cases').select('id').execute()).toHaveLength(1);
      expect(await ctx.deps.db.selectFrom('case_photos').select('id').where('case_id', '=', finding.id).execute()).toHaveLength(2);
      expect(await ctx.deps.db.selectFrom('monitoring_detections').select('snapshot_id').execute()).toHaveLength(detected.length);
      // A finding whose case a crash left unmade gets it at the next run, once.
      await ctx.deps.db.updateTable('monitoring_findings').set({ case_id: null }).execute();
      await runDetection(ctx.deps);
      expect((await findingsOf(camera.camera.id))[0]?.case_id).toBe(finding.id);
      expect(await ctx.deps.db.selectFrom('cases').select('id').execute()).toHaveLength(1);
    },
    SLOW,
  );

  it(
    'keeps each camera’s state over a restart in the middle of a sequence',
    async () => {
      const c = scene('structure');
      const camera = await cameraFor(c);
      await pushScene(camera, c, 0, 2);
      await runDetection(ctx.deps);
      const state = await ctx.deps.db
        .selectFrom('monitoring_detection_state')
        .selectAll()
        .where('camera_id', '=', camera.camera.id)
        .executeTakeFirstOrThrow();
      const tracker = JSON.parse(state.tracker as string) as { changes: { streak: number }[] };
      expect(tracker.changes[0]?.streak).toBe(2);
      expect(await findingsOf(camera.camera.id)).toHaveLength(0);
      // The process goes away: its worker and its caches (the prepared baseline) with it.
      await closeDetection();
      ctx.deps.caches = new Map();
      await pushScene(camera, c, 2, 4, false);
      await runDetection(ctx.deps);
      const found = await findingsOf(camera.camera.id);
      expect(found).toHaveLength(1);
      expect(JSON.parse(found[0]?.snapshot_ids as string)).toHaveLength(3);
    },
    SLOW,
  );

  it(
    'lets a cadre accept the new scene as the baseline: the finding and its case close, the tracker starts again',
    async () => {
      const { camera, finding } = await withFinding();
      const cadre = await as('cadre');
      // Accepting closes the case: without a reason (or with only spaces) it is refused and nothing changes.
      for (const [body, k] of [
        [{}, 'no-reason-1'],
        [{ note: '   ' }, 'no-reason-2'],
      ] as const) {
        const refused = await cadre.post(`/api/monitoring/findings/${finding.id}/accept-baseline`, body, { 'idempotency-key': k });
        expect([refused.statusCode, refused.json().error.code]).toEqual([400, 'reason_required']);
      }
      expect((await findingsOf(camera.camera.id))[0]?.state).toBe('open');
      const key = { 'idempotency-key': 'accept-1' };
      const accepted = await cadre.post(`/api/monitoring/findings/${finding.id}/accept-baseline`, { note: '已办理规划许可' }, key);
      expect(accepted.statusCode).toBe(200);
      expect(accepted.json()).toMatchObject({ state: 'sceneAccepted', note: '已办理规划许可', resolvedByName: expect.any(String) });
      // The same request again gets the same answer; another key finds it already decided.
      const again = await cadre.post(`/api/monitoring/findings/${finding.id}/accept-baseline`, { note: '已办理规划许可' }, key);
      expect([again.statusCode, again.json().state]).toEqual([200, 'sceneAccepted']);
      const other = await cadre.post(
        `/api/monitoring/findings/${finding.id}/accept-baseline`,
        { note: '再接受一次' },
        { 'idempotency-key': 'accept-2' },
      );
      expect([other.statusCode, other.json().error.code]).toEqual([409, 'finding_state']);
      const caseRow = await ctx.deps.db
        .selectFrom('cases')
        .select(['state', 'closed_at'])
        .where('id', '=', finding.id)
        .executeTakeFirstOrThrow();
      expect(caseRow.state).toBe('closed');
      const close = await ctx.deps.db
        .selectFrom('case_events')
        .select(['action', 'note'])
        .where('case_id', '=', finding.id)
        .where('action', '=', 'close')
        .execute();
      expect(close).toEqual([{ action: 'close', note: '已办理规划许可' }]);
      // The case's history, as its handlers read it, says why it closed.
      const history = (await (await as('grid')).get(`/api/cases/${finding.id}/events`)).json().items as { action: string; note: string }[];
      expect(history.find((e) => e.action === 'close')?.note).toBe('已办理规划许可');
      const state = await ctx.deps.db
        .selectFrom('monitoring_detection_state')
        .selectAll()
        .where('camera_id', '=', camera.camera.id)
        .executeTakeFirstOrThrow();
      const baseline = await ctx.deps.db
        .selectFrom('monitoring_baselines')
        .selectAll()
        .where('id', '=', state.baseline_id as string)
        .executeTakeFirstOrThrow();
      expect(baseline).toMatchObject({
        reason: 'accepted',
        finding_id: finding.id,
        snapshot_id: finding.after_snapshot_id,
        accepted_by: ids.cadre,
      });
      expect(JSON.parse(state.tracker as string)).toMatchObject({ baselineId: baseline.id, changes: [] });
      expect(await audits('monitoring.finding.accept')).toHaveLength(1);
      // The structure is now the scene: more pictures of it find nothing.
      await pushScene(camera, scene('structure'), 0, 4, false);
      await runDetection(ctx.deps);
      expect(await findingsOf(camera.camera.id)).toHaveLength(1);
    },
    SLOW,
  );

  it(
    'lets a cadre confirm a finding: the case goes on; refuses everyone else, audited',
    async () => {
      const { finding } = await withFinding();
      const url = `/api/monitoring/findings/${finding.id}/confirm`;
      const grid = await (await as('grid')).post(url, {}, { 'idempotency-key': 'g-1' });
      expect([grid.statusCode, grid.json().error.code]).toEqual([403, 'forbidden']);
      expect((await (await as('cadreB')).post(url, {}, { 'idempotency-key': 'b-1' })).statusCode).toBe(404);
      expect((await (await as('villager')).post(url, {}, { 'idempotency-key': 'v-1' })).statusCode).toBe(404);
      const acceptByGrid = await (await as('grid')).post(
        `/api/monitoring/findings/${finding.id}/accept-baseline`,
        {},
        { 'idempotency-key': 'g-2' },
      );
      expect(acceptByGrid.statusCode).toBe(403);
      const denied = [...(await audits('monitoring.finding.confirm')), ...(await audits('monitoring.finding.accept'))];
      expect(denied.map((a) => a.outcome)).toEqual(['denied', 'denied', 'denied', 'denied']);
      expect(await ctx.deps.db.selectFrom('monitoring_findings').select('state').where('id', '=', finding.id).executeTakeFirst()).toEqual({
        state: 'open',
      });

      const cadre = await as('cadre');
      const confirmed = await cadre.post(url, { note: '未经审批，已通知拆除' }, { 'idempotency-key': 'c-1' });
      expect(confirmed.statusCode).toBe(200);
      expect(confirmed.json()).toMatchObject({ state: 'confirmed', note: '未经审批，已通知拆除', confirmedByName: expect.any(String) });
      expect(confirmed.json().confirmedAt).toEqual(expect.any(String));
      expect((await cadre.post(url, { note: '未经审批，已通知拆除' }, { 'idempotency-key': 'c-1' })).json().state).toBe('confirmed');
      expect((await cadre.post(url, {}, { 'idempotency-key': 'c-2' })).statusCode).toBe(409);
      // The same key with another body is refused (422), as everywhere.
      expect((await cadre.post(url, { note: '别的' }, { 'idempotency-key': 'c-1' })).statusCode).toBe(422);
      const caseRow = await ctx.deps.db.selectFrom('cases').select('state').where('id', '=', finding.id).executeTakeFirstOrThrow();
      expect(caseRow.state).toBe('assigned');
      // The confirmation and its note are in the case's history, once, for whoever handles it.
      const history = (await (await as('grid')).get(`/api/cases/${finding.id}/events`)).json().items as {
        action: string;
        note: string | null;
      }[];
      expect(history.filter((e) => e.action === 'confirmFinding').map((e) => e.note)).toEqual(['未经审批，已通知拆除']);
    },
    SLOW,
  );

  it(
    'writes the camera’s case in Chinese, from the camera channel, asking whom it is routed to to check',
    async () => {
      // Routed to the grid (the category a county gets by default): the grid worker is asked.
      const { finding } = await withFinding();
      const gridCase = (await (await as('grid')).get(`/api/cases/${finding.id}`)).json();
      expect(gridCase).toMatchObject({ source: 'camera', channel: 'camera' });
      expect(gridCase.description).toContain('请网格员到现场核实');
      expect(gridCase.description).not.toMatch(/[A-Za-z]{3,}/);
      expect(gridCase.title).not.toMatch(/[A-Za-z]{3,}/);

      // A county that routes 乱搭乱建 to its law-enforcement bureau: the bureau is asked, not the grid worker.
      const bureau = '01900000-0000-7000-8000-00000000b0b0';
      await addDepartment(ctx.deps.db, { id: bureau, name: '县综合行政执法局', regionId: tree.county.id }, ctx.deps.now());
      await ctx.deps.db
        .updateTable('case_categories')
        .set({ route_to: 'department', department_id: bureau })
        .where('code', '=', 'illegalConstruction')
        .execute();
      // The same street seen by a second camera (its pictures are painted once per file).
      const c = scene('structure');
      const camera = await cameraFor(c);
      await pushScene(camera, c);
      await runDetection(ctx.deps);
      const [second] = await findingsOf(camera.camera.id);
      const row = await ctx.deps.db
        .selectFrom('cases')
        .select(['description', 'channel', 'assignee_department_id', 'assignee_user_id'])
        .where('id', '=', second?.id as string)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ channel: 'camera', assignee_department_id: bureau, assignee_user_id: null });
      expect(row.description).toContain('已交县综合行政执法局，请到现场核实');
      expect(row.description).not.toContain('网格员');
      expect(row.description).not.toMatch(/[A-Za-z]{3,}/);
    },
    SLOW,
  );

  it(
    'takes per-camera settings from a cadre: N snapshots before a finding',
    async () => {
      const c = scene('structure');
      const camera = await cameraFor(c);
      const url = `/api/monitoring/cameras/${camera.camera.id}/detection`;
      expect((await (await as('grid')).patch(url, { snapshotsToConfirm: 5 })).statusCode).toBe(403);
      expect((await audits('monitoring.detection.settings')).map((a) => a.outcome)).toEqual(['denied']);
      const set = await (await as('cadre')).patch(url, { snapshotsToConfirm: 5, minAreaFraction: 0.005 });
      expect(set.statusCode).toBe(200);
      expect(set.json()).toMatchObject({
        snapshotsToConfirm: 5,
        minAreaFraction: 0.005,
        enabled: true,
        baseline: null,
        defaults: { snapshotsToConfirm: 3 },
      });
      await pushScene(camera, c);
      await runDetection(ctx.deps);
      expect(await findingsOf(camera.camera.id)).toHaveLength(0);
      const status = (await (await as('grid')).get(url)).json();
      expect(status.baseline).toMatchObject({ reason: 'first' });
      expect(status.tracking[0]).toMatchObject({ streak: 4, reported: false });
      expect((await (await as('grid')).get(`/api/monitoring/cameras/${camera.camera.id}/baseline/image`)).statusCode).toBe(200);
      await push(camera, await rendered(c, 3));
      await runDetection(ctx.deps);
      expect(await findingsOf(camera.camera.id)).toHaveLength(1);
    },
    SLOW,
  );
});
