// What an attacker's probe of the camera module found, mended, on each database: every refused push
// recorded (those made before the service too), wrong keys throttled per camera and per address,
// a full decoding queue answered 503 with Retry-After, an 8K 16-bit PNG refused from its header,
// `bearer` in any case, an idempotent retry without capturedAt replayed, blank names and watch
// areas without area refused, a farm camera turned to another purpose no longer the household's,
// and the county's evidence-key fingerprint published without login.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { dialects, login, type Session, useTestApp } from '../../../test/build-test-app.ts';
import { cameraInput, plainPicture } from '../../../test/factories/monitoring.ts';
import { buildHousehold, buildPerson, buildTree, buildUser, PASSWORD, type Tree } from '../../../test/factories.ts';
import { evidenceSigningKey } from './monitoring-evidence-package.service.ts';
import { farmTimeLapse } from './monitoring-farm.service.ts';
import { decodeGate } from './monitoring-snapshots.service.ts';

const LIMIT = 400_000;

const UNKNOWN = '01900000-0000-7000-8000-000000000000';

/** A PNG's signature and IHDR claiming `width`×`height` at `bitDepth`, then filler. */
function pngHeader(width: number, height: number, bitDepth: number): Buffer {
  const ihdr = Buffer.alloc(25);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write('IHDR', 4, 'latin1');
  ihdr.writeUInt32BE(width, 8);
  ihdr.writeUInt32BE(height, 12);
  ihdr[16] = bitDepth;
  ihdr[17] = 2;
  return Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), ihdr, Buffer.alloc(4_000, 0x55)]);
}

describe.each(dialects)('cameras against the attacker’s findings on %s', (dialect) => {
  let tree: Tree;
  let household = '';
  const phones = { cadre: '', member: '' };
  const as = (who: keyof typeof phones): Promise<Session> => login(ctx.app, phones[who], PASSWORD);

  const ctx = useTestApp(
    dialect,
    async () => {
      tree = await buildTree(ctx.deps);
      phones.cadre = (await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA })).phone;
      household = (await buildHousehold(ctx.deps, { region: tree.groupA1, headName: '王国娥' })).id;
      const member = await buildPerson(ctx.deps, { region: tree.groupA1, householdId: household, name: '王国娥' });
      phones.member = (await buildUser(ctx.deps, { role: 'villager', region: tree.groupA1, personId: member.id })).phone;
    },
    { CAMERA_NETWORKS: '127.0.0.2/32', SNAPSHOT_LIMIT_BYTES: String(LIMIT) },
  );

  const register = async (overrides: Record<string, unknown> = {}) =>
    (await as('cadre')).post('/api/monitoring/cameras', cameraInput(tree.groupA1.id, overrides));

  const push = (
    cameraId: string,
    authorization: string | undefined,
    body: Buffer,
    options: { query?: string; headers?: Record<string, string>; from?: string } = {},
  ) =>
    ctx.app.inject({
      method: 'POST',
      url: `/api/monitoring/cameras/${cameraId}/snapshots${options.query ?? ''}`,
      headers: { 'content-type': 'image/jpeg', ...(authorization ? { authorization } : {}), ...options.headers },
      payload: body,
      remoteAddress: options.from ?? '10.1.1.1',
    });

  const refusals = async () =>
    (
      await ctx.deps.db
        .selectFrom('audit_log')
        .select(['outcome', 'details', 'target_id', 'ip'])
        .where('action', '=', 'monitoring.snapshot.push')
        .orderBy('id')
        .execute()
    ).map((a) => ({ outcome: a.outcome, reason: JSON.parse(a.details ?? '{}').reason as string, target: a.target_id, ip: a.ip }));

  const snapshots = async () =>
    (
      await ctx.deps.db
        .selectFrom('monitoring_snapshots')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;

  it('records every refused push, also those turned away before the service, by a code and never what was sent', async () => {
    const { camera, pushKey } = (await register()).json();
    const good = await plainPicture();
    const cadre = await as('cadre');
    const attempts: [string, () => ReturnType<typeof push>, number, string][] = [
      ['no Authorization', () => push(camera.id, undefined, good), 401, 'not_authenticated'],
      [
        'a session without its CSRF token',
        () => push(camera.id, undefined, good, { headers: { cookie: `cz_session=${cadre.cookie}` } }),
        403,
        'csrf_failed',
      ],
      [
        'text, not a picture type',
        () => push(camera.id, `Bearer ${pushKey}`, good, { headers: { 'content-type': 'text/plain' } }),
        415,
        'unsupported_media_type',
      ],
      [
        'a capture time that is no time',
        () => push(camera.id, `Bearer ${pushKey}`, good, { query: '?capturedAt=%3Cscript%3E' }),
        400,
        'validation_failed',
      ],
      [
        'an unknown query field',
        () => push(camera.id, `Bearer ${pushKey}`, good, { query: '?evil=%3Cscript%3E' }),
        400,
        'validation_failed',
      ],
      ['a path that is no camera id', () => push('%3Cscript%3E', `Bearer ${pushKey}`, good), 400, 'validation_failed'],
    ];
    for (const [name, send, status, code] of attempts) {
      const answer = await send();
      expect([name, answer.statusCode, answer.json().error.code]).toEqual([name, status, code]);
      expect(answer.body).not.toContain('<script>');
    }
    expect(await snapshots()).toBe(0);
    const recorded = await refusals();
    expect(recorded.map((r) => r.reason)).toEqual([
      'not_authenticated',
      'csrf_failed',
      'unsupported_media_type',
      'validation_failed',
      'validation_failed',
      'validation_failed',
    ]);
    expect(recorded.every((r) => r.outcome === 'denied' && r.ip === '10.1.1.1')).toBe(true);
    expect(recorded.map((r) => r.target)).toEqual([camera.id, camera.id, camera.id, camera.id, camera.id, null]);
    expect(JSON.stringify(recorded)).not.toContain('script');
  });

  it('takes the Bearer scheme in any case, and replays an idempotent retry without capturedAt', async () => {
    const { camera, pushKey } = (await register()).json();
    const picture = await plainPicture('#336699');
    for (const scheme of ['bearer', 'BEARER', 'Bearer']) {
      const answer = await push(camera.id, `${scheme} ${pushKey}`, picture);
      expect([scheme, answer.statusCode]).toEqual([scheme, 201]);
    }
    expect((await push(camera.id, `Basic ${pushKey}`, picture)).statusCode).toBe(401);
    const key = { 'idempotency-key': '6f1c2d3e-0000-4000-8000-00000000a001' };
    const first = await push(camera.id, `Bearer ${pushKey}`, picture, { headers: key });
    expect(first.statusCode).toBe(201);
    // The answer was lost; the camera sends the same again a little later.
    ctx.clock.now += 5_000;
    const retry = await push(camera.id, `Bearer ${pushKey}`, picture, { headers: key });
    expect([retry.statusCode, retry.json().id]).toEqual([201, first.json().id]);
    expect(await snapshots()).toBe(4);
    // The same key with another picture is still a misuse.
    const other = await push(camera.id, `Bearer ${pushKey}`, await plainPicture('#993366'), { headers: key });
    expect(other.statusCode).toBe(422);
  });

  it('throttles wrong keys per camera and per address with Retry-After, recorded once a window; a right key still works', async () => {
    const { camera, pushKey } = (await register()).json();
    const picture = await plainPicture();
    // Ten wrong keys for one camera, from ten addresses: each a 401.
    for (let i = 0; i < 10; i++) {
      expect((await push(camera.id, `Bearer cam_wrong${i}`, picture, { from: `10.2.0.${i + 1}` })).statusCode).toBe(401);
    }
    for (const from of ['10.2.1.1', '10.2.1.2']) {
      const throttled = await push(camera.id, 'Bearer cam_wrong', picture, { from });
      expect([throttled.statusCode, throttled.json().error.code]).toEqual([429, 'camera_push_throttled']);
      expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(throttled.headers['retry-after'])).toBeLessThanOrEqual(600);
    }
    // Someone else's guesses do not silence the camera.
    expect((await push(camera.id, `Bearer ${pushKey}`, picture, { from: '10.2.0.1' })).statusCode).toBe(201);

    // One address guessing: thirty misses (unknown cameras count), then its misses are 429 too.
    for (let i = 0; i < 30; i++) {
      const id = `01900000-0000-7000-8000-${String(i).padStart(12, '0')}`;
      expect((await push(id, `Bearer ${pushKey}`, picture, { from: '10.3.3.3' })).statusCode).toBe(404);
    }
    for (const target of [UNKNOWN, camera.id]) {
      const blocked = await push(target, 'Bearer cam_guess', picture, { from: '10.3.3.3' });
      expect([blocked.statusCode, blocked.json().error.code]).toEqual([429, 'camera_push_throttled']);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    }
    // Cameras sharing that address (a village's mobile router) still get through with their keys.
    expect((await push(camera.id, `Bearer ${pushKey}`, picture, { from: '10.3.3.3' })).statusCode).toBe(201);
    // The window passes: a wrong key is a plain 401 again.
    ctx.clock.now += 10 * 60_000;
    expect((await push(camera.id, 'Bearer cam_wrong', picture, { from: '10.3.3.3' })).statusCode).toBe(401);

    const recorded = await refusals();
    const throttledRows = recorded.filter((r) => r.reason === 'camera_push_throttled');
    // One for the camera's window, one for the address's: not one per refusal.
    expect(throttledRows.map((r) => r.ip)).toEqual(['10.2.1.1', '10.3.3.3']);
    expect(recorded.filter((r) => r.reason === 'camera_key_invalid')).toHaveLength(11);
    expect(recorded.filter((r) => r.reason === 'not_found')).toHaveLength(30);
    expect(JSON.stringify(recorded)).not.toContain('cam_wrong');
  });

  it('answers 503 with Retry-After when every decoding slot and the queue are taken, and refuses an 8K 16-bit PNG unread', async () => {
    const { camera, pushKey } = (await register()).json();
    const picture = await plainPicture();
    const gate = decodeGate(ctx.deps);
    const releases: (() => void)[] = [];
    const holds = Array.from({ length: gate.limits.running + gate.limits.waiting }, () =>
      gate.run(() => new Promise<void>((resolve) => releases.push(resolve)), { mayQueueBeyondLimit: false }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    const busy = await push(camera.id, `Bearer ${pushKey}`, picture);
    expect([busy.statusCode, busy.json().error.code, busy.headers['retry-after']]).toEqual([503, 'snapshot_busy', '5']);
    while (releases.length > 0) {
      releases.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(holds);
    expect((await push(camera.id, `Bearer ${pushKey}`, picture)).statusCode).toBe(201);

    const eightK16 = pngHeader(7680, 4320, 16);
    const tooBig = await push(camera.id, `Bearer ${pushKey}`, eightK16, { headers: { 'content-type': 'image/png' } });
    expect([tooBig.statusCode, tooBig.json().error.code]).toEqual([413, 'snapshot_too_large']);
    expect(tooBig.json().error.message).toContain('13');
    const deep = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#fff' } })
      .toColourspace('rgb16')
      .png()
      .toBuffer();
    const refused = await push(camera.id, `Bearer ${pushKey}`, deep, { headers: { 'content-type': 'image/png' } });
    expect([refused.statusCode, refused.json().error.code]).toEqual([415, 'snapshot_format_unsupported']);
    expect(await snapshots()).toBe(1);
    expect((await refusals()).map((r) => r.reason)).toEqual(['snapshot_busy', 'snapshot_too_large', 'snapshot_format_unsupported']);
  });

  it('refuses names of only spaces and watch areas without area, in Chinese and English', async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['blank name', { name: '   ' }, 'camera_name_blank'],
      ['blank owner', { owner: ' \u3000 ' }, 'camera_name_blank'],
      [
        'a line',
        {
          watchArea: [
            [0, 0],
            [0.5, 0.5],
            [1, 1],
          ],
        },
        'watch_area_empty',
      ],
      [
        'one point thrice',
        {
          watchArea: [
            [0.3, 0.3],
            [0.3, 0.3],
            [0.3, 0.3],
          ],
        },
        'watch_area_empty',
      ],
    ];
    for (const [name, overrides, code] of cases) {
      const answer = await register(overrides);
      expect([name, answer.statusCode, answer.json().error.code]).toEqual([name, 400, code]);
    }
    const english = await (await as('cadre')).request({
      method: 'POST',
      url: '/api/monitoring/cameras',
      headers: { 'accept-language': 'en' },
      payload: cameraInput(tree.groupA1.id, { name: ' ' }),
    });
    expect(english.json().error.message).toBe('A camera’s name and owner cannot be empty or only spaces');
    expect((await register({ name: '  ' })).json().error.message).toBe('摄像头名称和管理单位不能为空或只有空格');
    expect(
      (
        await register({
          watchArea: [
            [0, 0],
            [1, 0],
            [1, 1e-6],
          ],
        })
      ).json().error.message,
    ).toContain('监视区域');

    const made = await register({
      watchArea: [
        [0.1, 0.1],
        [0.9, 0.1],
        [0.9, 0.9],
        [0.1, 0.9],
      ],
    });
    expect(made.statusCode).toBe(201);
    const cadre = await as('cadre');
    const id = made.json().camera.id;
    expect((await cadre.patch(`/api/monitoring/cameras/${id}`, { name: ' ' })).json().error.code).toBe('camera_name_blank');
    expect(
      (
        await cadre.patch(`/api/monitoring/cameras/${id}`, {
          watchArea: [
            [0, 0],
            [0, 1],
            [0, 0.5],
          ],
        })
      ).statusCode,
    ).toBe(400);
    expect((await cadre.patch(`/api/monitoring/cameras/${id}`, { watchArea: null })).statusCode).toBe(200);
  });

  it('shows a farm camera to its household only while it is a farm camera', async () => {
    const made = await register({ name: '林下鸡舍', purpose: 'farm', publicSignRef: undefined });
    const { camera, pushKey } = made.json();
    const cadre = await as('cadre');
    const attached = await cadre.request({
      method: 'PUT',
      url: `/api/monitoring/cameras/${camera.id}/farm-subject`,
      payload: { householdId: household, kind: 'flock', label: '林下鸡 300 羽' },
    });
    expect(attached.statusCode).toBe(200);
    expect((await push(camera.id, `Bearer ${pushKey}`, await plainPicture('#556b2f'))).statusCode).toBe(201);
    const member = await as('member');
    const subjects = async () =>
      ((await member.get('/api/monitoring/farm-subjects')).json().items as { cameraId: string }[]).map((s) => s.cameraId);
    expect(await subjects()).toEqual([camera.id]);
    expect((await member.get(`/api/monitoring/cameras/${camera.id}/time-lapse`)).statusCode).toBe(200);
    const from = ctx.deps.now() - 86_400_000;
    expect(await farmTimeLapse(ctx.deps, { householdId: household }, { from, to: ctx.deps.now() + 1 })).toHaveLength(1);

    // Turned to watch the market street: no longer the household's.
    const turned = await cadre.patch(`/api/monitoring/cameras/${camera.id}`, { purpose: 'marketTown', publicSignRef: 'GS-2026-009' });
    expect(turned.statusCode).toBe(200);
    expect(await subjects()).toEqual([]);
    const refused = await member.get(`/api/monitoring/cameras/${camera.id}/time-lapse`);
    expect(refused.statusCode).toBe(404);
    expect(await farmTimeLapse(ctx.deps, { householdId: household }, { from, to: ctx.deps.now() + 1 })).toEqual([]);
    const denied = await ctx.deps.db
      .selectFrom('audit_log')
      .select(['outcome'])
      .where('action', '=', 'monitoring.timelapse.read')
      .orderBy('id')
      .execute();
    expect(denied.map((a) => a.outcome)).toEqual(['ok', 'denied']);
    // The place's cadre still sees it, as the camera it now is.
    expect((await cadre.get(`/api/monitoring/cameras/${camera.id}`)).statusCode).toBe(200);
  });

  it('publishes the county’s evidence-key fingerprint without login, and nothing secret', async () => {
    const answer = await ctx.app.inject({ method: 'GET', url: '/api/monitoring/evidence-key' });
    expect(answer.statusCode).toBe(200);
    const key = evidenceSigningKey(ctx.deps);
    expect(answer.json()).toEqual({
      algorithm: 'Ed25519',
      publicKeyPem: key.publicKeyPem,
      fingerprint: key.fingerprint,
      fingerprintGrouped: key.fingerprintGrouped,
    });
    expect(answer.json().fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(answer.body).not.toContain('PRIVATE');
  });
});
