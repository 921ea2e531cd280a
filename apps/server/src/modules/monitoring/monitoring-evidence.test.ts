// Evidence for the police, through the real app on both databases: a liaison asks, a cadre of the
// camera's place decides, the package is downloaded and checked with the offline verifier; every
// refusal is a 4xx and audited; retries with an Idempotency-Key make one request; held pictures
// outlive retention.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dialects, login, loginChangingPassword, type Session, useTestApp } from '../../../test/build-test-app.ts';
import { cameraInput, plainPicture } from '../../../test/factories/monitoring.ts';
import { buildTree, buildUser, PASSWORD, type Tree } from '../../../test/factories.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { insertRoleAssignment } from '../org/users.repository.ts';
import { verifyEvidencePackage } from './evidence/evidence-verifier.ts';
import { deleteExpiredSnapshots } from './monitoring.privacy.ts';
import { DEMO_CASE_NUMBER, seedDemoEvidence } from './monitoring-evidence.demo.ts';
import { buildPendingPackages, evidenceSigningKey, INLINE_PACKAGE_IMAGES } from './monitoring-evidence-package.service.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type World = {
  tree: Tree;
  cameraId: string;
  pushKey: string;
  elderCameraId: string;
  cameraBId: string;
  liaison: Session;
  liaisonUserId: string;
  liaisonPhone: string;
  cadreUserId: string;
  otherLiaison: Session;
  liaisonB: Session;
  official: Session;
  cadre: Session;
  cadreOtherVillage: Session;
  officialB: Session;
  grid: Session;
  /** Holds both a liaison's and the township official's roles. */
  both: Session;
  /** Capture times of the pictures pushed, oldest first: three in the asked range, one long before. */
  captured: number[];
};

const cameraBody = (regionId: string, name: string, purpose = 'marketTown') =>
  cameraInput(regionId, {
    name,
    owner: '镇综合执法队',
    purpose,
    publicSignRef: purpose === 'marketTown' ? 'GS-001' : undefined,
    retentionDays: 7,
  });

const picture = (seed: number) => plainPicture({ r: seed * 40, g: 90, b: 200 - seed * 30 }, 64, 48);

describe.each(dialects)('evidence for the police (%s)', (dialect) => {
  let world: World;
  const ctx = useTestApp(dialect, async ({ app, deps, clock }) => {
    const tree = await buildTree(deps);
    const user = async (role: Parameters<typeof buildUser>[1]['role'], region: Tree['county']) => {
      const made = await buildUser(deps, { role, region });
      return { ...made, session: await login(app, made.phone, PASSWORD) };
    };
    const liaison = await user('policeLiaison', tree.townshipA);
    const otherLiaison = await user('policeLiaison', tree.townshipA);
    const liaisonB = await user('policeLiaison', tree.townshipB);
    const official = await user('townshipOfficial', tree.townshipA);
    const cadre = await user('villageCadre', tree.villageA);
    const cadreOtherVillage = await user('villageCadre', tree.villageA2);
    const officialB = await user('townshipOfficial', tree.townshipB);
    const grid = await user('gridWorker', tree.villageA);
    const bothUser = await buildUser(deps, { role: 'policeLiaison', region: tree.townshipA });
    await insertRoleAssignment(
      deps.db,
      { id: uuidv7(), userId: bothUser.id, role: 'townshipOfficial', regionId: tree.townshipA.id, gridId: null },
      deps.now(),
    );
    const both = await login(app, bothUser.phone, PASSWORD);

    const register = async (session: Session, body: object) => {
      const response = await session.post('/api/monitoring/cameras', body);
      expect(response.statusCode, response.body).toBe(201);
      return response.json() as { camera: { id: string }; pushKey: string };
    };
    const camera = await register(official.session, cameraBody(tree.groupA1.id, '集镇东街'));
    const elderCamera = await register(official.session, cameraBody(tree.villageA.id, '独居老人家中', 'eldersHome'));
    const cameraB = await register(officialB.session, cameraBody(tree.villageB.id, '花田街口'));

    const now = clock.now;
    const captured = [now - 30 * HOUR, now - 3 * HOUR, now - 2 * HOUR, now - HOUR];
    for (const [i, at] of captured.entries()) {
      const response = await app.inject({
        method: 'POST',
        url: `/api/monitoring/cameras/${camera.camera.id}/snapshots?capturedAt=${new Date(at).toISOString()}`,
        headers: { authorization: `Bearer ${camera.pushKey}`, 'content-type': 'image/jpeg' },
        payload: await picture(i),
      });
      expect(response.statusCode, response.body).toBe(201);
    }
    world = {
      tree,
      cameraId: camera.camera.id,
      pushKey: camera.pushKey,
      elderCameraId: elderCamera.camera.id,
      cameraBId: cameraB.camera.id,
      liaison: liaison.session,
      liaisonUserId: liaison.id,
      liaisonPhone: liaison.phone,
      cadreUserId: cadre.id,
      otherLiaison: otherLiaison.session,
      liaisonB: liaisonB.session,
      official: official.session,
      cadre: cadre.session,
      cadreOtherVillage: cadreOtherVillage.session,
      officialB: officialB.session,
      grid: grid.session,
      both,
      captured,
    };
  });

  const iso = (ms: number) => new Date(ms).toISOString();
  const askBody = (over: Record<string, unknown> = {}) => ({
    cameraId: world.cameraId,
    caseNumber: 'A5002420300002026120012',
    reason: '12月1日夜集镇东街盗窃案，调取案发前后图像',
    from: iso(ctx.clock.now - 4 * HOUR),
    to: iso(ctx.clock.now - 30 * 60_000),
    ...over,
  });
  const ask = async (session = world.liaison, over: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    session.post('/api/monitoring/evidence/requests', askBody(over), headers);
  const asked = async (session = world.liaison, over: Record<string, unknown> = {}) => {
    const response = await ask(session, over);
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as { id: string; status: string };
  };
  const audits = (action: string, targetId?: string) => {
    let query = ctx.deps.db.selectFrom('audit_log').selectAll().where('action', '=', action);
    if (targetId) query = query.where('target_id', '=', targetId);
    return query.orderBy('id').execute();
  };
  const deniedReasons = async (action: string) =>
    (await audits(action)).filter((a) => a.outcome === 'denied').map((a) => JSON.parse(a.details ?? '{}').reason as string);

  it('asks, approves, holds the pictures, and hands over a package the offline verifier accepts', async () => {
    const cameras = await world.liaison.get('/api/monitoring/evidence/cameras');
    expect(cameras.statusCode).toBe(200);
    // The township's public cameras only: not the elder's home, not another township's.
    expect(cameras.json().items.map((c: { id: string }) => c.id)).toEqual([world.cameraId]);

    const made = await asked();
    expect(made.status).toBe('requested');
    const desk = await world.cadre.get('/api/monitoring/evidence/requests?view=desk&status=requested');
    expect(desk.json().items.map((r: { id: string }) => r.id)).toEqual([made.id]);
    expect((await world.officialB.get('/api/monitoring/evidence/requests?view=desk')).json().items).toEqual([]);

    const approved = await world.cadre.post(`/api/monitoring/evidence/requests/${made.id}/approve`, { reason: '经核实，同意调取' });
    expect(approved.statusCode, approved.body).toBe(200);
    const body = approved.json();
    expect(body).toMatchObject({ status: 'approved', imageCount: 3, packageState: 'ready', decisionReason: '经核实，同意调取' });
    expect(body.camera.name).toBe('集镇东街');

    const held = await ctx.deps.db.selectFrom('monitoring_snapshots').select(['captured_at', 'held']).orderBy('captured_at').execute();
    expect(held.map((s) => [Number(s.captured_at), s.held])).toEqual([
      [world.captured[0], 0],
      [world.captured[1], 1],
      [world.captured[2], 1],
      [world.captured[3], 1],
    ]);

    const mine = await world.liaison.get('/api/monitoring/evidence/requests?view=mine');
    expect(mine.json().items[0]).toMatchObject({ id: made.id, status: 'approved', packageState: 'ready' });
    const download = await world.liaison.get(`/api/monitoring/evidence/requests/${made.id}/package`);
    expect(download.statusCode, download.body).toBe(200);
    expect(download.headers['content-type']).toBe('application/zip');
    const bytes = download.rawPayload;
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(body.packageSha256);

    const trusted = evidenceSigningKey(ctx.deps).publicKeyPem;
    const checked = await verifyEvidencePackage(bytes, { trustedPublicKey: trusted });
    expect(checked.problems).toEqual([]);
    expect(checked).toMatchObject({ valid: true, signerVerified: true });
    expect(checked.manifest?.caseNumber).toBe('A5002420300002026120012');
    expect(checked.manifest?.request.reason).toBe('12月1日夜集镇东街盗窃案，调取案发前后图像');
    expect(checked.manifest?.approval.reason).toBe('经核实，同意调取');
    expect(checked.manifest?.request.by.userId).toBe(world.liaisonUserId);
    expect(checked.manifest?.files.filter((f) => f.role === 'image')).toHaveLength(3);

    // Any changed byte fails it: one byte of the first picture's data.
    const changed = Buffer.from(bytes);
    const at = changed.indexOf(Buffer.from([0xff, 0xd8, 0xff]));
    changed[at + 100] = (changed[at + 100] as number) ^ 0x01;
    expect((await verifyEvidencePackage(changed, { trustedPublicKey: trusted })).valid).toBe(false);

    // The whole story is in the audit log.
    expect(await audits('monitoring.evidence.request', made.id)).toHaveLength(1);
    expect(await audits('monitoring.evidence.approve', made.id)).toHaveLength(1);
    expect(await audits('monitoring.evidence.package', made.id)).toHaveLength(1);
    const downloads = await audits('monitoring.evidence.download', made.id);
    expect(downloads).toHaveLength(1);
    expect(JSON.parse(downloads[0]?.details ?? '{}').packageSha256).toBe(body.packageSha256);
    expect((await world.liaison.get(`/api/monitoring/evidence/requests/${made.id}`)).statusCode).toBe(200);
    expect((await world.cadre.get(`/api/monitoring/evidence/requests/${made.id}`)).statusCode).toBe(200);
    expect(await audits('monitoring.evidence.view', made.id)).toHaveLength(2);
    expect((await audits('monitoring.evidence.list')).length).toBeGreaterThanOrEqual(3);
  });

  it('makes one request of retries with the same Idempotency-Key, and refuses the key with another body', async () => {
    const key = { 'idempotency-key': 'evidence-retry-1' };
    const first = await ask(world.liaison, {}, key);
    const again = await ask(world.liaison, {}, key);
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.json().id).toBe(first.json().id);
    expect(await ctx.deps.db.selectFrom('monitoring_evidence_requests').select('id').execute()).toHaveLength(1);
    expect(await audits('monitoring.evidence.request')).toHaveLength(1);
    const other = await ask(world.liaison, { caseNumber: 'A5002420300002026120099' }, key);
    expect(other.statusCode).toBe(422);
  });

  it('refuses the wrong role, another township, another village and someone else’s request, each audited', async () => {
    expect((await ask(world.grid)).statusCode).toBe(403);
    expect((await ask(world.cadre)).statusCode).toBe(403);
    expect((await world.grid.get('/api/monitoring/evidence/cameras')).statusCode).toBe(403);
    expect((await world.cadre.get('/api/monitoring/evidence/requests?view=mine')).statusCode).toBe(403);
    expect((await world.liaison.get('/api/monitoring/evidence/requests?view=desk')).statusCode).toBe(403);
    // Another township's camera, and an elder's home, are not there for this liaison.
    expect((await ask(world.liaisonB)).statusCode).toBe(404);
    expect((await ask(world.liaison, { cameraId: world.cameraBId })).statusCode).toBe(404);
    expect((await ask(world.liaison, { cameraId: world.elderCameraId })).statusCode).toBe(404);
    expect(await deniedReasons('monitoring.evidence.request')).toEqual(
      expect.arrayContaining(['wrong_role', 'other_place', 'other_place', 'other_place']),
    );

    const made = await asked();
    const url = `/api/monitoring/evidence/requests/${made.id}`;
    // The liaison cannot decide; nor can the grid worker, the other township or the other village.
    expect((await world.liaison.post(`${url}/approve`, { reason: '自己批准' })).statusCode).toBe(403);
    expect((await world.grid.post(`${url}/approve`, { reason: '同意调取' })).statusCode).toBe(403);
    expect((await world.officialB.post(`${url}/approve`, { reason: '同意调取' })).statusCode).toBe(404);
    expect((await world.cadreOtherVillage.post(`${url}/approve`, { reason: '同意调取' })).statusCode).toBe(404);
    expect(await deniedReasons('monitoring.evidence.approve')).toEqual(
      expect.arrayContaining(['not_a_decider', 'wrong_role', 'other_place', 'other_place']),
    );
    // Not approved yet: nothing to download.
    const early = await world.liaison.get(`${url}/package`);
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('evidence_request_state');
    // Someone else's request, even in the same township: not there.
    expect((await world.otherLiaison.get(url)).statusCode).toBe(404);
    expect((await world.otherLiaison.get(`${url}/package`)).statusCode).toBe(404);
    expect((await world.otherLiaison.post(`${url}/withdraw`)).statusCode).toBe(404);
    expect((await world.liaisonB.get(url)).statusCode).toBe(404);
    expect(await deniedReasons('monitoring.evidence.download')).toEqual(['not_approved', 'not_own_request']);
    expect(await deniedReasons('monitoring.evidence.view')).toEqual(['not_own_request', 'not_own_request']);

    // A cadre may decide but not download; nothing was held by all this.
    await world.cadre.post(`${url}/approve`, { reason: '同意调取' });
    expect((await world.cadre.get(`${url}/package`)).statusCode).toBe(403);
    expect((await world.otherLiaison.get(`${url}/package`)).statusCode).toBe(404);
    expect((await world.liaison.get(`${url}/package`)).statusCode).toBe(200);
  });

  it('nobody decides their own request', async () => {
    const made = await asked(world.both);
    const response = await world.both.post(`/api/monitoring/evidence/requests/${made.id}/approve`, { reason: '同意调取' });
    expect(response.statusCode).toBe(403);
    expect(await deniedReasons('monitoring.evidence.approve')).toEqual(['own_request']);
    expect((await world.official.post(`/api/monitoring/evidence/requests/${made.id}/approve`, { reason: '同意调取' })).statusCode).toBe(
      200,
    );
  });

  it('nobody decides a request of an account they made, gave a role to or reset (an attacker made one and approved it)', async () => {
    // The official manages users too: a liaison account of their own making, signed in with its password.
    const phone = '13700000123';
    const created = await world.official.post('/api/org/users', { phone, displayName: '新联络员', password: 'Made2026-by-official' });
    expect(created.statusCode, created.body).toBe(201);
    const given = await world.official.post(`/api/org/users/${created.json().id}/role-assignments`, {
      role: 'policeLiaison',
      regionId: world.tree.townshipA.id,
    });
    expect(given.statusCode, given.body).toBe(201);
    const made = await asked(await loginChangingPassword(ctx.app, phone, 'Made2026-by-official'));
    const refused = await world.official.post(`/api/monitoring/evidence/requests/${made.id}/approve`, { reason: '同意调取' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('evidence_decider_set_up_requester');
    expect((await world.official.post(`/api/monitoring/evidence/requests/${made.id}/refuse`, { reason: '不予调取' })).statusCode).toBe(403);
    expect(await deniedReasons('monitoring.evidence.approve')).toEqual(['requester_set_up_by_decider']);

    // The same for the real liaison once the official has reset their password.
    expect(
      (await world.official.post(`/api/org/users/${world.liaisonUserId}/password`, { newPassword: 'Reset2026-by-official' })).statusCode,
    ).toBe(204);
    const theirs = await asked(await loginChangingPassword(ctx.app, world.liaisonPhone, 'Reset2026-by-official'));
    expect((await world.official.post(`/api/monitoring/evidence/requests/${theirs.id}/approve`, { reason: '同意调取' })).statusCode).toBe(
      403,
    );

    // Another decider of the place, who set up neither account, decides both.
    expect((await world.cadre.post(`/api/monitoring/evidence/requests/${made.id}/approve`, { reason: '同意调取' })).statusCode).toBe(200);
    expect((await world.cadre.post(`/api/monitoring/evidence/requests/${theirs.id}/approve`, { reason: '同意调取' })).statusCode).toBe(200);
  });

  it('nor one set up through a second account: an official the decider made, or an account made by one (attacker recheck)', async () => {
    const security = await login(
      ctx.app,
      (await buildUser(ctx.deps, { role: 'securityAdmin', region: world.tree.county })).phone,
      PASSWORD,
    );
    const township = world.tree.townshipA.id;
    const make = async (by: Session, phone: string, role: string, roleBy: Session = by) => {
      const made = await by.post('/api/org/users', { phone, displayName: `账号${phone.slice(-3)}`, password: 'Chain2026-pass' });
      expect(made.statusCode, made.body).toBe(201);
      const given = await roleBy.post(`/api/org/users/${made.json().id}/role-assignments`, { role, regionId: township });
      expect(given.statusCode, given.body).toBe(201);
      return loginChangingPassword(ctx.app, phone, 'Chain2026-pass');
    };
    // The official makes a second official (the security administrator gives the role) and a liaison.
    const second = await make(world.official, '13700000201', 'townshipOfficial', security);
    const liaison = await make(world.official, '13700000202', 'policeLiaison');
    const first = await asked(liaison);
    const refused = await second.post(`/api/monitoring/evidence/requests/${first.id}/approve`, { reason: '同意调取' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('evidence_decider_set_up_requester');
    // The second official makes a liaison; the first official, who made the second, may not decide its request.
    const further = await make(second, '13700000203', 'policeLiaison');
    const next = await asked(further);
    expect((await world.official.post(`/api/monitoring/evidence/requests/${next.id}/approve`, { reason: '同意调取' })).statusCode).toBe(
      403,
    );
    // Accounts the security administrator made for both sides, as a county does, are decided as usual.
    const plain = await make(security, '13700000204', 'policeLiaison');
    const decider = await make(security, '13700000205', 'townshipOfficial');
    const usual = await asked(plain);
    expect((await decider.post(`/api/monitoring/evidence/requests/${usual.id}/approve`, { reason: '同意调取' })).statusCode).toBe(200);
  });

  it('refuses ranges in the future, longer than 7 days or backwards, and malformed case numbers', async () => {
    const now = ctx.clock.now;
    for (const range of [
      { from: iso(now - HOUR), to: iso(now + HOUR) },
      { from: iso(now - 8 * DAY), to: iso(now - HOUR) },
      { from: iso(now - HOUR), to: iso(now - 2 * HOUR) },
    ]) {
      const response = await ask(world.liaison, range);
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe('evidence_range_invalid');
    }
    expect(await deniedReasons('monitoring.evidence.request')).toEqual(['range_invalid', 'range_invalid', 'range_invalid']);
    for (const caseNumber of ['a500', 'A500 242', '<script>', 'X'.repeat(41), '-A50024203']) {
      const response = await ask(world.liaison, { caseNumber });
      expect(response.statusCode).toBe(400);
      expect(response.body).not.toContain(caseNumber);
    }
    expect((await ask(world.liaison, { reason: '  ' })).statusCode).toBe(400);
    expect((await ask(world.liaison, { reason: 'a\u0007b' })).statusCode).toBe(400);
    expect((await ask(world.liaison, { reason: 'x'.repeat(501) })).statusCode).toBe(400);
    expect(await ctx.deps.db.selectFrom('monitoring_evidence_requests').select('id').execute()).toHaveLength(0);
  });

  it('a refusal carries its reason and ends the request; a withdrawn one cannot be decided', async () => {
    const made = await asked();
    const url = `/api/monitoring/evidence/requests/${made.id}`;
    const refused = await world.official.post(`${url}/refuse`, { reason: '案件编号与辖区不符' });
    expect(refused.statusCode).toBe(200);
    expect(refused.json()).toMatchObject({ status: 'refused', decisionReason: '案件编号与辖区不符', packageState: null });
    expect((await world.cadre.post(`${url}/approve`, { reason: '同意调取' })).statusCode).toBe(409);
    expect((await world.liaison.get(`${url}/package`)).statusCode).toBe(409);
    expect((await world.liaison.post(`${url}/withdraw`)).statusCode).toBe(409);
    expect(await ctx.deps.db.selectFrom('monitoring_snapshots').select('id').where('held', '=', 1).execute()).toHaveLength(0);

    const second = await asked();
    const withdrawn = await world.liaison.post(`/api/monitoring/evidence/requests/${second.id}/withdraw`);
    expect(withdrawn.json().status).toBe('withdrawn');
    expect((await world.cadre.post(`/api/monitoring/evidence/requests/${second.id}/approve`, { reason: '同意调取' })).statusCode).toBe(409);
    expect(await audits('monitoring.evidence.withdraw', second.id)).toHaveLength(1);
  });

  it('will not approve a range without pictures', async () => {
    const made = await asked(world.liaison, { from: iso(ctx.clock.now - 20 * HOUR), to: iso(ctx.clock.now - 10 * HOUR) });
    const response = await world.cadre.post(`/api/monitoring/evidence/requests/${made.id}/approve`, { reason: '同意调取' });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('evidence_no_pictures');
    expect((await world.liaison.get(`/api/monitoring/evidence/requests/${made.id}`)).json().status).toBe('requested');
  });

  it('held pictures outlive their camera’s retention; the others are deleted', async () => {
    const made = await asked();
    await world.cadre.post(`/api/monitoring/evidence/requests/${made.id}/approve`, { reason: '同意调取' });
    ctx.clock.advance(8 * DAY);
    await deleteExpiredSnapshots(ctx.deps);
    const left = await ctx.deps.db.selectFrom('monitoring_snapshots').select(['captured_at', 'held']).orderBy('captured_at').execute();
    expect(left.map((s) => Number(s.captured_at))).toEqual(world.captured.slice(1));
    const again = await login(ctx.app, world.liaisonPhone, PASSWORD);
    const url = `/api/monitoring/evidence/requests/${made.id}`;
    expect((await again.get(`${url}/package`)).statusCode).toBe(200);
    // A package file lost (a restore from a backup without it) is built again from the held pictures.
    const row = await ctx.deps.db.selectFrom('monitoring_evidence_requests').select('package_file').executeTakeFirstOrThrow();
    await fs.rm(path.join(ctx.deps.config.dataDir, 'evidence-packages', row.package_file as string));
    const lost = await again.get(`${url}/package`);
    expect(lost.statusCode).toBe(409);
    expect(lost.json().error.code).toBe('evidence_package_not_ready');
    expect(await buildPendingPackages(ctx.deps)).toBe(1);
    const rebuilt = await again.get(`${url}/package`);
    expect(rebuilt.statusCode).toBe(200);
    expect((await again.get(url)).json().packageState).toBe('ready');
    expect(
      (await verifyEvidencePackage(rebuilt.rawPayload, { trustedPublicKey: evidenceSigningKey(ctx.deps).publicKeyPem })).problems,
    ).toEqual([]);
  });

  it('builds a large package in the job, not while the cadre waits; a picture changed in the store fails it', async () => {
    const base = ctx.clock.now - 3 * DAY;
    const ids: string[] = [];
    for (let i = 0; i <= INLINE_PACKAGE_IMAGES; i++) {
      const id = uuidv7();
      const bytes = Buffer.from(`picture ${i}`);
      const fileKey = `monitoring/${world.cameraId}/${id}.jpg`;
      await ctx.deps.files.put(fileKey, bytes);
      await ctx.deps.db
        .insertInto('monitoring_snapshots')
        .values({
          id,
          camera_id: world.cameraId,
          source: 'push',
          captured_at: base + i * 60_000,
          received_at: base + i * 60_000,
          width: 1,
          height: 1,
          bytes: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          file_key: fileKey,
          thumb_key: fileKey,
          held: 0,
        })
        .execute();
      ids.push(id);
    }
    const range = { from: iso(base - 60_000), to: iso(base + 2 * HOUR) };
    const made = await asked(world.liaison, range);
    const approved = await world.cadre.post(`/api/monitoring/evidence/requests/${made.id}/approve`, { reason: '同意调取' });
    expect(approved.json()).toMatchObject({ status: 'approved', imageCount: INLINE_PACKAGE_IMAGES + 1, packageState: 'pending' });
    expect((await world.liaison.get(`/api/monitoring/evidence/requests/${made.id}/package`)).json().error.code).toBe(
      'evidence_package_not_ready',
    );
    expect(await buildPendingPackages(ctx.deps)).toBe(1);
    const download = await world.liaison.get(`/api/monitoring/evidence/requests/${made.id}/package`);
    expect(download.statusCode).toBe(200);
    const checked = await verifyEvidencePackage(download.rawPayload, { trustedPublicKey: evidenceSigningKey(ctx.deps).publicKeyPem });
    expect(checked.valid).toBe(true);
    expect(checked.manifest?.files.filter((f) => f.role === 'image')).toHaveLength(INLINE_PACKAGE_IMAGES + 1);

    // A second request over the same pictures, one of them changed in the store meanwhile.
    const another = await asked(world.liaison, range);
    await ctx.deps.files.put(`monitoring/${world.cameraId}/${ids[5]}.jpg`, Buffer.from('changed'));
    await world.official.post(`/api/monitoring/evidence/requests/${another.id}/approve`, { reason: '同意调取' });
    expect(await buildPendingPackages(ctx.deps)).toBe(0);
    expect((await world.liaison.get(`/api/monitoring/evidence/requests/${another.id}`)).json().packageState).toBe('failed');
    const failures = (await audits('monitoring.evidence.package', another.id)).filter((a) => a.outcome === 'denied');
    expect(JSON.parse(failures[0]?.details ?? '{}')).toMatchObject({ reason: 'picture_altered', snapshotId: ids[5] });
  });

  it('a township official appoints a police liaison for its own township only, and the liaison reads no pictures', async () => {
    const fresh = await buildUser(ctx.deps, { region: world.tree.townshipA });
    const give = (session: Session, regionId: string) =>
      session.post(`/api/org/users/${fresh.id}/role-assignments`, { role: 'policeLiaison', regionId });
    expect((await give(world.official, world.tree.villageA.id)).statusCode).toBe(400);
    expect((await give(world.official, world.tree.townshipB.id)).statusCode).toBeGreaterThanOrEqual(403);
    const given = await give(world.official, world.tree.townshipA.id);
    expect(given.statusCode, given.body).toBeLessThan(300);
    const liaison = await login(ctx.app, fresh.phone, PASSWORD);
    expect((await liaison.get('/api/monitoring/evidence/cameras')).json().items).toHaveLength(1);
    // A liaison reads no pictures, registers and people directly.
    expect((await liaison.get(`/api/monitoring/cameras/${world.cameraId}`)).statusCode).toBe(403);
    const households = await liaison.get('/api/org/households');
    expect(households.statusCode === 403 || households.json().items.length === 0).toBe(true);
  });

  it('seeds the demo’s request, approved with its package ready, through the same services', async () => {
    const id = await seedDemoEvidence(ctx.deps, {
      cameraId: world.cameraId,
      approverUserId: world.cadreUserId,
      liaisonUserId: world.liaisonUserId,
      from: ctx.clock.now - 4 * HOUR,
      to: ctx.clock.now - HOUR,
    });
    const seen = (await world.liaison.get(`/api/monitoring/evidence/requests/${id}`)).json();
    expect(seen).toMatchObject({ caseNumber: DEMO_CASE_NUMBER, status: 'approved', packageState: 'ready', imageCount: 3 });
  });
});
