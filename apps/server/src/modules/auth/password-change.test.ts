// A password an administrator set (a new account's first, a reset) is known to two people: the
// holder's next password sign-in may only change it (GB/T 22239-2019 8.1.4.1: identification and
// authentication; the initial password is changed at first use). A texted code's sign-in does not
// use the password and is not held back; the demo's published password is not asked to change.
import { describe, expect, it } from 'vitest';
import { auditEntries } from '../../../test/audit-entries.ts';
import { dialects, lastTextedCode, login, type Session, useTestApp } from '../../../test/build-test-app.ts';
import { buildTree, buildUser, PASSWORD, type Tree } from '../../../test/factories.ts';
import { changePassword } from './auth.service.ts';
import { resolveSession } from './sessions.service.ts';

describe.each(dialects)('a password an administrator set, changed first, on %s', (dialect) => {
  let tree: Tree;
  let admin: Session;

  const ctx = useTestApp(dialect, async () => {
    tree = await buildTree(ctx.deps);
    admin = await login(ctx.app, (await buildUser(ctx.deps, { role: 'securityAdmin', region: tree.county })).phone, PASSWORD);
  });

  const signIn = (phone: string, password: string) =>
    ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { phone, password } });
  const current = async (session: Session) => (await session.get('/api/auth/current')).json().session;

  it('lets a new account, after signing in with the password it was given, do nothing but change it', async () => {
    const created = await admin.post('/api/org/users', { phone: '13911112222', displayName: '新网格员', password: 'Given2026pw' });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    expect(
      (await admin.post(`/api/org/users/${id}/role-assignments`, { role: 'gridWorker', regionId: tree.villageA.id, gridId: tree.gridA }))
        .statusCode,
    ).toBe(201);

    const answer = await signIn('13911112222', 'Given2026pw');
    expect(answer.statusCode).toBe(200);
    expect(answer.json().passwordChangeRequired).toBe(true);
    const worker = await login(ctx.app, '13911112222', 'Given2026pw');
    expect((await current(worker)).passwordChangeRequired).toBe(true);

    // Reads and writes alike are refused, in words, until the password is changed.
    for (const refused of [
      await worker.get('/api/org/regions'),
      await worker.get('/api/cases?limit=5'),
      await worker.post('/api/cases', { title: '路灯坏了', description: '村口路灯不亮' }),
    ]) {
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error.code).toBe('password_change_required');
    }

    // The rules still hold, the same password again is no change, and a wrong current one changes nothing.
    const same = await worker.post('/api/auth/password', { currentPassword: 'Given2026pw', newPassword: 'Given2026pw' });
    expect(same.statusCode).toBe(400);
    expect(same.json().error.code).toBe('password_unchanged');
    const weak = await worker.post('/api/auth/password', { currentPassword: 'Given2026pw', newPassword: 'short' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.code).toBe('weak_password');
    const wrong = await worker.post('/api/auth/password', { currentPassword: 'Guess2026pw', newPassword: 'Mine2026only' });
    expect(wrong.statusCode).toBe(401);
    expect((await worker.get('/api/org/regions')).statusCode).toBe(403);

    const changed = await worker.post('/api/auth/password', { currentPassword: 'Given2026pw', newPassword: 'Mine2026only' });
    expect(changed.statusCode).toBe(204);
    // The same session goes on, now whole; the given password no longer opens the account.
    expect((await current(worker)).passwordChangeRequired).toBe(false);
    expect((await worker.get('/api/org/regions')).statusCode).toBe(200);
    expect((await signIn('13911112222', 'Given2026pw')).statusCode).toBe(401);
    const again = await signIn('13911112222', 'Mine2026only');
    expect(again.json().passwordChangeRequired).toBe(false);
    expect((await auditEntries(ctx.deps, 'auth.password_changed')).filter((e) => e.targetId === id && e.outcome === 'ok')).toHaveLength(1);
  });

  it('holds back the password sign-in after an administrator’s reset, not the accounts the county made or a texted code', async () => {
    const doctor = await buildUser(ctx.deps, { role: 'doctor', region: tree.townshipA });
    const before = await login(ctx.app, doctor.phone, PASSWORD);
    expect((await current(before)).passwordChangeRequired).toBe(false);
    expect((await before.get('/api/org/regions')).statusCode).toBe(200);

    expect((await admin.post(`/api/org/users/${doctor.id}/password`, { newPassword: 'Reset2026pw' })).statusCode).toBe(204);
    const after = await login(ctx.app, doctor.phone, 'Reset2026pw');
    expect((await current(after)).passwordChangeRequired).toBe(true);
    const refused = await after.get('/api/care/elders');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('password_change_required');
    // Logging out stays open.
    expect((await after.post('/api/auth/logout')).statusCode).toBe(204);

    // A villager whose password was reset signs in by a texted code: that sign-in never used the
    // password, and opens as usual.
    const villager = await buildUser(ctx.deps, { role: 'villager', region: tree.groupA1 });
    expect((await admin.post(`/api/org/users/${villager.id}/password`, { newPassword: 'Reset2026pw' })).statusCode).toBe(204);
    await ctx.app.inject({ method: 'POST', url: '/api/auth/sms-code', payload: { phone: villager.phone } });
    const texted = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/sms-code/login',
      payload: { phone: villager.phone, code: lastTextedCode(ctx.sms, villager.phone), staySignedIn: false },
    });
    expect(texted.statusCode).toBe(200);
    expect(texted.json().passwordChangeRequired).toBe(false);
    const cookie = texted.cookies.find((c) => c.name === 'cz_session')?.value;
    expect((await ctx.app.inject({ method: 'GET', url: '/api/org/regions', headers: { cookie: `cz_session=${cookie}` } })).statusCode).toBe(
      200,
    );
    // The same villager's password sign-in is held back.
    const byPassword = await signIn(villager.phone, 'Reset2026pw');
    expect(byPassword.json().passwordChangeRequired).toBe(true);
  });

  it('lets an administrator’s reset that lands while the holder’s change is under way win (attacker: the intruder kept the account)', async () => {
    const official = await buildUser(ctx.deps, { role: 'townshipOfficial', region: tree.townshipA });
    const intruder = await login(ctx.app, official.phone, PASSWORD);
    const token = intruder.cookie;
    const resolved = await resolveSession(ctx.deps, token);
    if (!resolved || 'expired' in resolved) throw new Error('no session');
    // The reset commits after the current password was checked and before the new one is written.
    const db = ctx.deps.db;
    const racing = new Proxy(db, {
      get(target, property) {
        if (property !== 'transaction')
          return Reflect.get(target, property, target).bind?.(target) ?? Reflect.get(target, property, target);
        return () => ({
          execute: async (work: Parameters<ReturnType<typeof db.transaction>['execute']>[0]) => {
            const reset = await admin.post(`/api/org/users/${official.id}/password`, { newPassword: 'Reset2026pw' });
            expect(reset.statusCode).toBe(204);
            return target.transaction().execute(work);
          },
        });
      },
    });
    const actor = { userId: official.id, roles: null, ip: '10.1.1.1', requestId: 'race' };
    const lost = await changePassword(
      { ...ctx.deps, db: racing },
      resolved.principal,
      { currentPassword: PASSWORD, newPassword: 'Kept2026pw', keepToken: token },
      actor,
    ).catch((error: unknown) => error);
    expect(lost).toMatchObject({ code: 'password_changed_meanwhile', status: 409 });
    // The administrator's password opens the account, held back; the intruder's does not.
    expect((await signIn(official.phone, 'Kept2026pw')).statusCode).toBe(401);
    const afterReset = await signIn(official.phone, 'Reset2026pw');
    expect(afterReset.statusCode).toBe(200);
    expect(afterReset.json().passwordChangeRequired).toBe(true);
    expect((await intruder.get('/api/auth/session')).statusCode).toBe(401);
  });

  it('answers a public page to a held-back session as to anyone, and refuses the rest', async () => {
    const cadre = await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA });
    expect((await admin.post(`/api/org/users/${cadre.id}/password`, { newPassword: 'Reset2026pw' })).statusCode).toBe(204);
    const held = await login(ctx.app, cadre.phone, 'Reset2026pw');
    const anyone = await ctx.app.inject({ method: 'GET', url: '/api/public/villages' });
    const seen = await held.get('/api/public/villages');
    expect(seen.statusCode).toBe(200);
    expect(seen.json()).toEqual(anyone.json());
    // HEAD asks what GET would answer.
    expect((await held.request({ method: 'HEAD', url: '/api/auth/session' })).statusCode).toBe(200);
    expect((await held.request({ method: 'HEAD', url: '/api/org/regions' })).statusCode).toBe(403);
  });
});
