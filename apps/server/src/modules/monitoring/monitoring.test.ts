// Cameras through the API on each database: registration and who may do it, pictures pushed with
// the camera's key (masks blacked out before anything is kept), every refusal (nothing stored,
// audited, no input echoed), reads in scope with every look audited, the live view, and the
// durable queue and hook change detection builds on.
import { Readable } from 'node:stream';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { dialects, login, type Session, useTestApp } from '../../../test/build-test-app.ts';
import { cameraInput, plainPicture as picture } from '../../../test/factories/monitoring.ts';
import { buildTree, buildUser, PASSWORD, type Tree } from '../../../test/factories.ts';
import { finishQueuedSnapshots, onSnapshotStored, takeQueuedSnapshots } from './monitoring-snapshots.service.ts';

const LIMIT = 400_000;

describe.each(dialects)('cameras on %s', (dialect) => {
  let tree: Tree;
  const phones = { cadre: '', township: '', grid: '', cadreB: '', villager: '', county: '' };
  const as = (who: keyof typeof phones): Promise<Session> => login(ctx.app, phones[who], PASSWORD);

  const ctx = useTestApp(
    dialect,
    async () => {
      tree = await buildTree(ctx.deps);
      phones.cadre = (await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA })).phone;
      phones.township = (await buildUser(ctx.deps, { role: 'townshipOfficial', region: tree.townshipA })).phone;
      phones.county = (await buildUser(ctx.deps, { role: 'countyAdmin', region: tree.county })).phone;
      phones.grid = (await buildUser(ctx.deps, { role: 'gridWorker', region: tree.villageA, gridId: tree.gridA })).phone;
      phones.cadreB = (await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageB })).phone;
      phones.villager = (await buildUser(ctx.deps, { role: 'villager', region: tree.villageA })).phone;
    },
    { CAMERA_NETWORKS: '127.0.0.2/32', SNAPSHOT_LIMIT_BYTES: String(LIMIT) },
  );

  const register = async (overrides: Record<string, unknown> = {}, who: keyof typeof phones = 'cadre') =>
    (await as(who)).post('/api/monitoring/cameras', cameraInput(tree.groupA1.id, overrides));

  const push = (cameraId: string, key: string | undefined, body: Buffer, query = '', headers: Record<string, string> = {}) =>
    ctx.app.inject({
      method: 'POST',
      url: `/api/monitoring/cameras/${cameraId}/snapshots${query}`,
      headers: { 'content-type': 'image/jpeg', ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
      payload: body,
    });

  const audits = (action: string) =>
    ctx.deps.db
      .selectFrom('audit_log')
      .select(['outcome', 'details', 'target_id', 'actor_user_id'])
      .where('action', '=', action)
      .orderBy('id')
      .execute();

  const count = async (table: 'monitoring_snapshots' | 'monitoring_cameras' | 'monitoring_snapshot_queue') =>
    (
      await ctx.deps.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;

  it('registers a camera for a cadre of the place: the push key once, the credentials never', async () => {
    const made = await register({ credentials: { username: 'admin', password: 'Cam-Pa55word' } });
    expect(made.statusCode).toBe(201);
    const { camera, pushKey } = made.json();
    expect(pushKey).toMatch(/^cam_[A-Za-z0-9_-]{32}$/);
    expect(camera).toMatchObject({ purpose: 'marketTown', hasCredentials: true, hasPushKey: true, enabled: true, source: 'push' });
    expect(made.body).not.toContain('Cam-Pa55word');
    const read = await (await as('cadre')).get(`/api/monitoring/cameras/${camera.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.body).not.toContain('Cam-Pa55word');
    expect(read.body).not.toContain(pushKey);
    const row = await ctx.deps.db.selectFrom('monitoring_cameras').selectAll().where('id', '=', camera.id).executeTakeFirstOrThrow();
    expect(row.credentials_sealed).not.toContain('Cam-Pa55word');
    expect(row.push_key_hash).not.toBe(pushKey);
    expect(row.region_id).toBe(tree.groupA1.id);
    expect(row.village_id).toBe(tree.villageA.id);
    expect(await audits('monitoring.camera.register')).toHaveLength(1);
    // The township and the county register too; a rotation gives a new key and retires the old.
    expect((await register({}, 'township')).statusCode).toBe(201);
    expect((await register({}, 'county')).statusCode).toBe(201);
    const rotated = await (await as('cadre')).post(`/api/monitoring/cameras/${camera.id}/push-key`);
    expect(rotated.json().pushKey).not.toBe(pushKey);
    expect((await push(camera.id, pushKey, await picture())).statusCode).toBe(401);
    expect((await push(camera.id, rotated.json().pushKey, await picture())).statusCode).toBe(201);
  });

  it('refuses registrations: another village, a grid worker or villager, no public sign, a pull address outside the camera network', async () => {
    expect((await register({}, 'cadreB')).statusCode).toBe(404);
    expect((await register({}, 'grid')).statusCode).toBe(403);
    expect((await register({}, 'villager')).statusCode).toBe(403);
    const unsigned = await register({ publicSignRef: undefined });
    expect([unsigned.statusCode, unsigned.json().error.code]).toEqual([400, 'public_sign_required']);
    // A farm camera needs no public sign.
    expect((await register({ publicSignRef: undefined, purpose: 'farm' })).statusCode).toBe(201);
    for (const snapshotUrl of [
      'http://127.0.0.1:8080/admin',
      'http://169.254.169.254/latest/meta-data/',
      'http://[::1]/x',
      'http://2130706433/',
    ]) {
      const refused = await register({ source: 'httpPull', snapshotUrl, pullEverySeconds: 60 });
      expect([snapshotUrl, refused.statusCode, refused.json().error.code]).toEqual([snapshotUrl, 400, 'camera_address_refused']);
      expect(refused.body).not.toContain(snapshotUrl);
    }
    const missing = await register({ source: 'rtsp' });
    expect([missing.statusCode, missing.json().error.code, missing.json().error.details]).toEqual([
      400,
      'validation_failed',
      [expect.objectContaining({ field: 'streamUrl' })],
    ]);
    expect(await count('monitoring_cameras')).toBe(1);
    const denied = await audits('monitoring.camera.register');
    expect(denied.filter((a) => a.outcome === 'denied').map((a) => JSON.parse(a.details ?? '{}').reason)).toEqual([
      'camera_address_refused',
      'camera_address_refused',
      'camera_address_refused',
      'camera_address_refused',
      'camera_source_incomplete',
    ]);
    // A mask outside 0..1 or a field the contract does not name is refused by the schema.
    expect(
      (
        await register({
          privacyMasks: [
            [
              [0, 0],
              [2, 0],
              [0, 1],
            ],
          ],
        })
      ).statusCode,
    ).toBe(400);
    expect((await register({ pushKeyHash: 'x' })).statusCode).toBe(400);
  });

  it('takes a pushed picture with the masks blacked out before it is kept, queues it for detection and tells the hook', async () => {
    const heard: string[] = [];
    const stop = onSnapshotStored(ctx.deps, (s) => heard.push(s.snapshotId));
    // The left half of the picture is a home's window: never stored.
    const mask = [
      [0, 0],
      [0.5, 0],
      [0.5, 1],
      [0, 1],
    ];
    const { camera, pushKey } = (await register({ privacyMasks: [mask] })).json();
    const capturedAt = new Date(ctx.clock.now - 60_000).toISOString();
    const stored = await push(camera.id, pushKey, await picture('#ffffff', 400, 200), `?capturedAt=${encodeURIComponent(capturedAt)}`, {
      'idempotency-key': 'nvr-1',
    });
    expect(stored.statusCode).toBe(201);
    const snapshot = stored.json();
    expect(snapshot).toMatchObject({ cameraId: camera.id, source: 'push', width: 400, height: 200, held: false });
    expect(Date.parse(snapshot.capturedAt)).toBe(Date.parse(capturedAt));
    stop();
    expect(heard).toEqual([snapshot.id]);
    // The same push again (an NVR retrying) is the same snapshot, stored once.
    const again = await push(camera.id, pushKey, await picture('#ffffff', 400, 200), `?capturedAt=${encodeURIComponent(capturedAt)}`, {
      'idempotency-key': 'nvr-1',
    });
    expect(again.json().id).toBe(snapshot.id);
    expect(await count('monitoring_snapshots')).toBe(1);

    const row = await ctx.deps.db.selectFrom('monitoring_snapshots').selectAll().executeTakeFirstOrThrow();
    const file = (await ctx.deps.files.get(row.file_key)) as Buffer;
    const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) => data[(y * info.width + x) * info.channels] as number;
    expect(at(50, 100)).toBeLessThan(10);
    expect(at(195, 20)).toBeLessThan(10);
    expect(at(210, 100)).toBeGreaterThan(245);
    expect(at(380, 180)).toBeGreaterThan(245);

    const queued = await takeQueuedSnapshots(ctx.deps);
    expect(queued).toEqual([{ snapshotId: snapshot.id, cameraId: camera.id, queuedAt: expect.any(Number) }]);
    await finishQueuedSnapshots(ctx.deps, [snapshot.id]);
    expect(await takeQueuedSnapshots(ctx.deps)).toEqual([]);
  });

  it('refuses bad pushes with a clear error, stores nothing and audits each refusal', async () => {
    const { camera, pushKey } = (await register()).json();
    const good = await picture();
    const unknown = '01900000-0000-7000-8000-000000000000';
    const html = Buffer.from('<html><script>alert(1)</script></html>');
    const pdfAsJpeg = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(100)]);
    // A JPEG's first bytes and then garbage: sniffed as JPEG, refused by the decoder.
    const fakeJpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 7)]);
    const huge = Buffer.concat([good, Buffer.alloc(LIMIT)]);
    // 8000×4400 (35 megapixels): small as a file, too many pixels to decode.
    const bomb = await sharp({ create: { width: 8000, height: 4400, channels: 3, background: '#000' } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    const future = new Date(ctx.clock.now + 10 * 60_000).toISOString();
    const backdated = new Date(ctx.clock.now - 8 * 24 * 3_600_000).toISOString();
    const cases: [
      string,
      () => Promise<{ statusCode: number; json(): { error: { code: string; message: string } }; body: string }>,
      number,
      string,
    ][] = [
      ['unknown camera', () => push(unknown, pushKey, good), 404, 'not_found'],
      ['wrong key', () => push(camera.id, 'cam_wrong', good), 401, 'camera_key_invalid'],
      ['future', () => push(camera.id, pushKey, good, `?capturedAt=${encodeURIComponent(future)}`), 400, 'captured_in_future'],
      ['backdated', () => push(camera.id, pushKey, good, `?capturedAt=${encodeURIComponent(backdated)}`), 400, 'captured_too_old'],
      ['html', () => push(camera.id, pushKey, html), 415, 'snapshot_not_image'],
      ['pdf', () => push(camera.id, pushKey, pdfAsJpeg, '', { 'content-type': 'application/octet-stream' }), 415, 'snapshot_not_image'],
      ['fake jpeg', () => push(camera.id, pushKey, fakeJpeg), 415, 'snapshot_not_image'],
      ['too large', () => push(camera.id, pushKey, huge), 413, 'snapshot_too_large'],
      ['too many pixels', () => push(camera.id, pushKey, bomb, '', { 'content-type': 'image/png' }), 413, 'snapshot_too_large'],
    ];
    expect(bomb.length).toBeLessThan(LIMIT);
    for (const [name, send, status, code] of cases) {
      const answer = await send();
      expect([name, answer.statusCode, answer.json().error.code]).toEqual([name, status, code]);
      expect(answer.body).not.toContain('script');
      expect(answer.body).not.toContain(future);
    }
    // Too large without a declared length (chunked): cut off at the limit, audited the same.
    const chunked = await ctx.app.inject({
      method: 'POST',
      url: `/api/monitoring/cameras/${camera.id}/snapshots`,
      headers: { authorization: `Bearer ${pushKey}`, 'content-type': 'image/jpeg' },
      payload: Readable.from([huge.subarray(0, LIMIT / 2), huge.subarray(LIMIT / 2)]),
    });
    expect(chunked.statusCode).toBe(413);
    // No key at all: turned away before the body is read (and recorded like the others).
    expect((await push(camera.id, undefined, good)).statusCode).toBe(401);
    // A disabled camera takes nothing.
    expect((await (await as('cadre')).patch(`/api/monitoring/cameras/${camera.id}`, { enabled: false })).statusCode).toBe(200);
    const disabled = await push(camera.id, pushKey, good);
    expect([disabled.statusCode, disabled.json().error.code]).toEqual([409, 'camera_disabled']);
    expect(disabled.json().error.message).toBe('该摄像头已停用，不再接收图片');

    expect(await count('monitoring_snapshots')).toBe(0);
    expect(await count('monitoring_snapshot_queue')).toBe(0);
    const refused = await audits('monitoring.snapshot.push');
    expect(refused.every((a) => a.outcome === 'denied' && a.actor_user_id === null)).toBe(true);
    expect(refused.map((a) => JSON.parse(a.details ?? '{}').reason)).toEqual([
      'not_found',
      'camera_key_invalid',
      'captured_in_future',
      'captured_too_old',
      'snapshot_not_image',
      'snapshot_not_image',
      'snapshot_not_image',
      'snapshot_too_large',
      'snapshot_too_large',
      'snapshot_too_large',
      'not_authenticated',
      'camera_disabled',
    ]);
    expect(refused[0]?.target_id).toBe(unknown);
    expect(JSON.stringify(refused)).not.toContain('cam_wrong');
  });

  it('shows cameras and pictures to their place only; elders’ homes to cadres only; every look at a picture is audited', async () => {
    const market = (await register()).json();
    const home = (await register({ purpose: 'eldersHome', publicSignRef: undefined, name: '独居老人家' })).json();
    const marketShot = (await push(market.camera.id, market.pushKey, await picture('#808080'))).json();
    const homeShot = (await push(home.camera.id, home.pushKey, await picture('#404040'))).json();

    const listed = async (who: keyof typeof phones) =>
      ((await (await as(who)).get('/api/monitoring/cameras')).json().items as { id: string }[]).map((c) => c.id).sort();
    expect(await listed('cadre')).toEqual([market.camera.id, home.camera.id].sort());
    expect(await listed('township')).toEqual([market.camera.id, home.camera.id].sort());
    expect(await listed('grid')).toEqual([market.camera.id]);
    expect(await listed('cadreB')).toEqual([]);
    expect((await (await as('villager')).get('/api/monitoring/cameras')).statusCode).toBe(403);

    const grid = await as('grid');
    const seen = await grid.get(`/api/monitoring/snapshots/${marketShot.id}/image`);
    expect([seen.statusCode, seen.headers['content-type']]).toEqual([200, 'image/jpeg']);
    expect((await grid.get(`/api/monitoring/snapshots/${homeShot.id}/image`)).statusCode).toBe(404);
    expect((await grid.get(`/api/monitoring/cameras/${home.camera.id}`)).statusCode).toBe(404);
    expect((await grid.patch(`/api/monitoring/cameras/${market.camera.id}`, { name: 'x' })).statusCode).toBe(403);
    expect((await (await as('cadreB')).get(`/api/monitoring/snapshots/${marketShot.id}/image`)).statusCode).toBe(404);
    expect((await (await as('cadreB')).patch(`/api/monitoring/cameras/${market.camera.id}`, { name: 'x' })).statusCode).toBe(404);
    const thumb = await (await as('cadre')).get(`/api/monitoring/snapshots/${homeShot.id}/image?variant=thumb`);
    expect(thumb.statusCode).toBe(200);

    const views = await audits('monitoring.snapshot.view');
    expect(views.map((v) => [v.outcome, v.target_id])).toEqual([
      ['ok', marketShot.id],
      ['denied', homeShot.id],
      ['denied', marketShot.id],
      ['ok', homeShot.id],
    ]);

    // The live view: each camera the caller sees with its newest picture.
    const live = (await grid.get('/api/monitoring/live')).json().items;
    expect(live).toEqual([
      { camera: expect.objectContaining({ id: market.camera.id }), latest: expect.objectContaining({ id: marketShot.id }) },
    ]);
    const cadreLive = (await (await as('cadre')).get('/api/monitoring/live')).json().items;
    expect(cadreLive).toHaveLength(2);
  });

  it('pages a camera’s pictures by capture time, newest first, within a range', async () => {
    const { camera, pushKey } = (await register()).json();
    const start = ctx.clock.now - 10 * 3_600_000;
    const ids: string[] = [];
    for (let hour = 0; hour < 7; hour++) {
      const at = new Date(start + hour * 3_600_000).toISOString();
      ids.push((await push(camera.id, pushKey, await picture(), `?capturedAt=${encodeURIComponent(at)}`)).json().id);
    }
    const cadre = await as('cadre');
    const from = new Date(start + 3_600_000).toISOString();
    const to = new Date(start + 6 * 3_600_000).toISOString();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await cadre.get(`/api/monitoring/cameras/${camera.id}/snapshots?${query}`)).json();
      seen.push(...page.items.map((s: { id: string }) => s.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(ids.slice(1, 6).reverse());
    expect((await cadre.get(`/api/monitoring/cameras/${camera.id}/snapshots?cursor=bm90LWEtY3Vyc29y`)).statusCode).toBe(400);
    expect((await (await as('cadreB')).get(`/api/monitoring/cameras/${camera.id}/snapshots`)).statusCode).toBe(404);
  });

  it('changes a camera: credentials stay write-only, a public camera keeps its sign, the change is audited by field name', async () => {
    const { camera } = (await register()).json();
    const cadre = await as('cadre');
    const changed = await cadre.patch(`/api/monitoring/cameras/${camera.id}`, {
      credentials: { username: 'root', password: 'N3w-secret' },
      watchArea: [
        [0.1, 0.1],
        [0.9, 0.1],
        [0.9, 0.9],
      ],
      retentionDays: 7,
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({
      hasCredentials: true,
      retentionDays: 7,
      watchArea: [
        [0.1, 0.1],
        [0.9, 0.1],
        [0.9, 0.9],
      ],
    });
    expect(changed.body).not.toContain('N3w-secret');
    expect((await cadre.patch(`/api/monitoring/cameras/${camera.id}`, { publicSignRef: null })).json().error.code).toBe(
      'public_sign_required',
    );
    expect((await cadre.patch(`/api/monitoring/cameras/${camera.id}`, { credentials: null })).json().hasCredentials).toBe(false);
    const updates = await audits('monitoring.camera.update');
    expect(updates.map((u) => JSON.parse(u.details ?? '{}').fields)).toEqual([
      ['credentials', 'watchArea', 'retentionDays'],
      ['credentials'],
    ]);
    expect(JSON.stringify(updates)).not.toContain('N3w-secret');
  });
});
