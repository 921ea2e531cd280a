// Pictures the server fetches itself, on each database: the pull job against a fake camera behind
// Digest authentication and one that speaks ONVIF, on the deps clock; failures kept on the camera
// and audited once; a redirect out of the camera network refused at pull time; a cadre's "pull now";
// and retention deleting rows and files on time unless an evidence hold keeps them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects, login, type Session, useTestApp } from '../../../test/build-test-app.ts';
import { cameraInput, plainPicture } from '../../../test/factories/monitoring.ts';
import { buildTree, buildUser, PASSWORD, type Tree } from '../../../test/factories.ts';
import { type FakeCamera, startFakeCamera, startForbiddenServer } from '../../../test/fake-camera.ts';
import { type RtspCamera, startRtspCamera } from '../../../test/rtsp-relay.ts';
import { backgroundJobs } from '../../jobs.ts';
import { deleteExpiredSnapshots } from './monitoring.privacy.ts';
import { pullDueCameras } from './monitoring-pull.service.ts';
import { setSnapshotsHeld } from './monitoring-snapshots.service.ts';
import { FFMPEG, ffmpegPresent } from './rtsp-grab.ts';

const DAY = 24 * 3_600_000;
const credentials = { username: 'admin', password: 'cam-secret-1' };

describe.each(dialects)('pulling and keeping camera pictures on %s', (dialect) => {
  let tree: Tree;
  let cadrePhone = '';
  let digestCamera: FakeCamera;
  let plainCamera: FakeCamera;
  let forbidden: Awaited<ReturnType<typeof startForbiddenServer>>;
  let rtsp: RtspCamera | undefined;

  beforeAll(async () => {
    if (ffmpegPresent()) rtsp = await startRtspCamera({ ffmpeg: FFMPEG, ...credentials });
    const image = await plainPicture('#5a8', 640, 360);
    digestCamera = await startFakeCamera({ image, auth: 'SHA-256' });
    plainCamera = await startFakeCamera({ image, auth: 'none' });
    forbidden = await startForbiddenServer('127.0.0.1');
  });
  afterAll(async () => {
    await digestCamera.close();
    await plainCamera.close();
    await forbidden.close();
    await rtsp?.close();
  });

  const ctx = useTestApp(
    dialect,
    async () => {
      tree = await buildTree(ctx.deps);
      cadrePhone = (await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA })).phone;
    },
    { CAMERA_NETWORKS: '127.0.0.2/32' },
  );
  const cadre = (): Promise<Session> => login(ctx.app, cadrePhone, PASSWORD);

  const register = async (fields: Record<string, unknown>) => {
    const made = await (await cadre()).post(
      '/api/monitoring/cameras',
      cameraInput(tree.villageA.id, {
        name: '果园',
        latitude: 28.8,
        longitude: 108.7,
        directionDegrees: 180,
        owner: '张家果园',
        purpose: 'farm',
        publicSignRef: undefined,
        source: undefined,
        pullEverySeconds: 60,
        ...fields,
      }),
    );
    expect(made.statusCode).toBe(201);
    return made.json().camera.id as string;
  };
  const camera = (id: string) => ctx.deps.db.selectFrom('monitoring_cameras').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const snapshotsOf = (id: string) =>
    ctx.deps.db.selectFrom('monitoring_snapshots').selectAll().where('camera_id', '=', id).orderBy('captured_at').execute();
  const pullAudits = () =>
    ctx.deps.db
      .selectFrom('audit_log')
      .select(['outcome', 'details', 'target_id'])
      .where('action', '=', 'monitoring.snapshot.pull')
      .execute();

  it('pulls a Digest camera on its interval, by the deps clock', async () => {
    const id = await register({ source: 'httpPull', snapshotUrl: `${digestCamera.base}/snapshot.jpg`, credentials });
    expect(await pullDueCameras(ctx.deps)).toBe(1);
    expect(await pullDueCameras(ctx.deps)).toBe(0);
    const after = await camera(id);
    expect([after.last_pull_error, after.next_pull_at]).toEqual([null, ctx.clock.now + 60_000]);
    ctx.clock.advance(61_000);
    expect(await pullDueCameras(ctx.deps)).toBe(1);
    const stored = await snapshotsOf(id);
    expect(stored.map((s) => [s.source, s.width, s.height])).toEqual([
      ['httpPull', 640, 360],
      ['httpPull', 640, 360],
    ]);
    // A disabled camera is not pulled.
    await (await cadre()).patch(`/api/monitoring/cameras/${id}`, { enabled: false });
    ctx.clock.advance(61_000);
    expect(await pullDueCameras(ctx.deps)).toBe(0);
  });

  it('keeps a failure on the camera, audits it once while it lasts, and refuses a redirect out of the network', async () => {
    const wrong = await register({
      source: 'httpPull',
      snapshotUrl: `${digestCamera.base}/snapshot.jpg`,
      credentials: { ...credentials, password: 'wrong' },
    });
    const out = `http://127.0.0.1:${forbidden.port}/`;
    const redirecting = await register({ source: 'httpPull', snapshotUrl: `${plainCamera.base}/redirect?to=${encodeURIComponent(out)}` });
    const notPicture = await register({ source: 'httpPull', snapshotUrl: `${plainCamera.base}/not-a-picture` });
    expect(await pullDueCameras(ctx.deps)).toBe(0);
    ctx.clock.advance(61_000);
    expect(await pullDueCameras(ctx.deps)).toBe(0);
    expect((await camera(wrong)).last_pull_error).toBe('unauthorized');
    expect((await camera(redirecting)).last_pull_error).toBe('redirect_refused');
    expect((await camera(notPicture)).last_pull_error).toBe('snapshot_not_image');
    expect(forbidden.hits()).toBe(0);
    const audits = await pullAudits();
    expect(audits.map((a) => [a.target_id, a.outcome, JSON.parse(a.details ?? '{}').reason]).sort()).toEqual(
      [
        [wrong, 'denied', 'unauthorized'],
        [redirecting, 'denied', 'redirect_refused'],
        [notPicture, 'denied', 'snapshot_not_image'],
      ].sort(),
    );
    expect(await ctx.deps.db.selectFrom('monitoring_snapshots').selectAll().execute()).toEqual([]);

    // Asked by hand, the failure is a clear error, not the camera's words.
    const now = await (await cadre()).post(`/api/monitoring/cameras/${wrong}/pull`);
    expect([now.statusCode, now.json().error.code, now.json().error.message]).toEqual([
      502,
      'camera_unreachable',
      '摄像头未应答或应答有误（unauthorized）',
    ]);
    const refused = await (await cadre()).post(`/api/monitoring/cameras/${redirecting}/pull`);
    expect([refused.statusCode, refused.json().error.code]).toEqual([400, 'camera_address_refused']);
    // Fixing the password clears the failure on the next pull.
    await (await cadre()).patch(`/api/monitoring/cameras/${wrong}`, { credentials });
    expect((await (await cadre()).post(`/api/monitoring/cameras/${wrong}/pull`)).statusCode).toBe(201);
    expect((await camera(wrong)).last_pull_error).toBe(null);
  });

  it('finds the snapshot through ONVIF and pulls it', async () => {
    const id = await register({ source: 'onvif', onvifUrl: `${digestCamera.base}/onvif/device_service`, credentials });
    expect(await pullDueCameras(ctx.deps)).toBe(1);
    const found = await camera(id);
    expect(found.snapshot_url).toBe(`${digestCamera.base}/onvif-snapshot.jpg?channel=1&size=full`);
    expect((await snapshotsOf(id)).map((s) => s.source)).toEqual(['onvif']);
  });

  it.skipIf(!ffmpegPresent())('grabs a frame from an RTSP camera with ffmpeg (skipped without /usr/bin/ffmpeg)', async () => {
    const id = await register({ source: 'rtsp', streamUrl: rtsp?.url, credentials });
    expect(await pullDueCameras(ctx.deps)).toBe(1);
    expect((await snapshotsOf(id)).map((s) => [s.source, s.width, s.height])).toEqual([['rtsp', 320, 240]]);
  });

  it('deletes pictures (rows and files) when their camera’s retention ends, unless held', async () => {
    const id = await register({ source: 'push', retentionDays: 2 });
    const key = (await (await cadre()).post(`/api/monitoring/cameras/${id}/push-key`)).json().pushKey;
    const image = await plainPicture('#999', 80, 60);
    const pushAt = async (ms: number) =>
      (
        await ctx.app.inject({
          method: 'POST',
          url: `/api/monitoring/cameras/${id}/snapshots?capturedAt=${encodeURIComponent(new Date(ms).toISOString())}`,
          headers: { authorization: `Bearer ${key}`, 'content-type': 'image/jpeg' },
          payload: image,
        })
      ).json().id as string;
    const now = ctx.clock.now;
    const old = await pushAt(now - 3 * DAY);
    const heldOld = await pushAt(now - 3 * DAY + 1000);
    const recent = await pushAt(now - DAY);
    await setSnapshotsHeld(ctx.deps, [heldOld], true);
    const files = Object.fromEntries((await snapshotsOf(id)).map((s) => [s.id, [s.file_key, s.thumb_key]]));

    expect(await deleteExpiredSnapshots(ctx.deps)).toBe(1);
    expect((await snapshotsOf(id)).map((s) => s.id)).toEqual([heldOld, recent]);
    for (const key of files[old] ?? []) expect(await ctx.deps.files.get(key)).toBeUndefined();
    for (const key of files[heldOld] ?? []) expect(await ctx.deps.files.get(key)).toBeDefined();
    expect(
      await ctx.deps.db.selectFrom('monitoring_snapshot_queue').select('snapshot_id').where('snapshot_id', '=', old).execute(),
    ).toEqual([]);

    ctx.clock.advance(2 * DAY);
    expect(await deleteExpiredSnapshots(ctx.deps)).toBe(1);
    expect((await snapshotsOf(id)).map((s) => s.id)).toEqual([heldOld]);
    // Released, the held picture goes at the next run.
    await setSnapshotsHeld(ctx.deps, [heldOld], false);
    expect(await deleteExpiredSnapshots(ctx.deps)).toBe(1);
    expect(await snapshotsOf(id)).toEqual([]);
    const purges = await ctx.deps.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'privacy.purge')
      .where('target_id', '=', id)
      .execute();
    expect(purges).toHaveLength(3);
  });

  it('runs as the platform’s jobs: the pull job and the retention purge', () => {
    const names = backgroundJobs(ctx.deps).map((j) => j.name);
    expect(names).toContain('monitoring.pull');
    expect(names).toContain('retention.monitoring.snapshotRetention');
  });
});
