// The second factor of logins: an authenticator app's codes (RFC 6238 TOTP over RFC 4226 HOTP),
// enrolled with a QR code of the Key Uri, single-use recovery codes, and the county's setting that
// staff must use it (REQUIRE_STAFF_TOTP).
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { dialects, login, type Session, type TestContext, useTestApp } from '../../../test/build-test-app.ts';
import { buildTree, buildUser, PASSWORD, type Tree } from '../../../test/factories.ts';
import { base32Decode, hotp, totpStep } from '../../platform/totp.ts';

const STEP_MS = 30_000;

function passwordLogin(app: FastifyInstance, phone: string, password = PASSWORD) {
  return app.inject({ method: 'POST', url: '/api/auth/login', payload: { phone, password } });
}

function secondFactor(app: FastifyInstance, payload: Record<string, string>) {
  return app.inject({ method: 'POST', url: '/api/auth/login/second-factor', payload });
}

/** Enrols the session's user; the secret and recovery codes are what the app and the user keep. */
async function enrol(ctx: TestContext, session: Session): Promise<{ secret: Buffer; recoveryCodes: string[] }> {
  const started = await session.post('/api/auth/totp/enrolment');
  expect(started.statusCode).toBe(200);
  const secret = base32Decode(started.json().secret);
  const confirmed = await session.post('/api/auth/totp/confirm', { code: hotp(secret, totpStep(ctx.clock.now)) });
  expect(confirmed.statusCode).toBe(200);
  // The code just used is spent: later codes in these tests come from later steps.
  ctx.clock.advance(STEP_MS);
  return { secret, recoveryCodes: confirmed.json().recoveryCodes };
}

async function auditReasons(ctx: TestContext, action: string, userId: string): Promise<string[]> {
  const rows = await ctx.deps.db
    .selectFrom('audit_log')
    .select(['details'])
    .where('action', '=', action)
    .where('target_id', '=', userId)
    .where('outcome', '=', 'denied')
    // The test clock stands still: records of one moment are in the order their (time-ordered) ids were made.
    .orderBy('at')
    .orderBy('id')
    .execute();
  return rows.map((row) => JSON.parse(row.details ?? '{}').reason);
}

describe.each(dialects)('second factor (TOTP) on %s', (dialect) => {
  let tree: Tree;

  const ctx = useTestApp(
    dialect,
    async () => {
      tree = await buildTree(ctx.deps);
    },
    { LOGIN_FAILURES_PER_ADDRESS: '1000' },
  );

  const code = (secret: Buffer, stepsAhead = 0) => hotp(secret, totpStep(ctx.clock.now) + stepsAhead);

  it('enrols with a secret, a Key Uri and a QR code made on the server, in force only once a code confirms it', async () => {
    const user = await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA });
    const session = await login(ctx.app, user.phone, PASSWORD);
    const started = await session.post('/api/auth/totp/enrolment');
    expect(started.statusCode).toBe(200);
    const body = started.json();
    expect(body.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(body.otpauthUri).toBe(
      `otpauth://totp/Cunzhi:${user.phone}?secret=${body.secret}&issuer=Cunzhi&algorithm=SHA1&digits=6&period=30`,
    );
    expect(body.qrSvg).toMatch(/^<svg [^>]*viewBox="0 0 \d+ \d+"/);
    // The secret is kept sealed, never as given out.
    const stored = await ctx.deps.db
      .selectFrom('user_totp')
      .select('secret_sealed')
      .where('user_id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(stored.secret_sealed).not.toContain(body.secret);
    // Not yet in force: the password alone still logs in.
    expect((await passwordLogin(ctx.app, user.phone)).json().secondFactor).toBeUndefined();

    const secret = base32Decode(body.secret);
    const wrong = await session.post('/api/auth/totp/confirm', { code: code(secret, 3) });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('invalid_totp_code');
    const confirmed = await session.post('/api/auth/totp/confirm', { code: code(secret) });
    expect(confirmed.statusCode).toBe(200);
    const { recoveryCodes } = confirmed.json();
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    // Only hashes are kept.
    const hashes = await ctx.deps.db.selectFrom('totp_recovery_codes').select('code_hash').where('user_id', '=', user.id).execute();
    expect(hashes.map((h) => h.code_hash)).not.toContain(recoveryCodes[0]);
    expect((await session.get('/api/auth/session')).json().totpEnabled).toBe(true);
    // A second enrolment would replace the app without the password: refused.
    expect((await session.post('/api/auth/totp/enrolment')).json().error.code).toBe('totp_already_enabled');
  });

  it('asks for the code after the right password, with no session until it comes; each code works once (RFC 6238 section 5.2)', async () => {
    const user = await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA });
    const { secret } = await enrol(ctx, await login(ctx.app, user.phone, PASSWORD));

    const first = await passwordLogin(ctx.app, user.phone);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ secondFactor: 'totp', expiresInSeconds: 300 });
    expect(first.cookies.find((c) => c.name === 'cz_session')).toBeUndefined();
    const pendingToken = first.json().pendingToken as string;

    const now = code(secret);
    const done = await secondFactor(ctx.app, { pendingToken, code: now });
    expect(done.statusCode).toBe(200);
    expect(done.cookies.find((c) => c.name === 'cz_session')).toBeDefined();
    expect(done.json().user.id).toBe(user.id);
    // The same challenge is spent, and the same code on a new login is refused.
    expect((await secondFactor(ctx.app, { pendingToken, code: now })).json().error.code).toBe('login_challenge_expired');
    const again = await passwordLogin(ctx.app, user.phone);
    const reused = await secondFactor(ctx.app, { pendingToken: again.json().pendingToken, code: now });
    expect(reused.statusCode).toBe(401);
    expect(reused.json().error.code).toBe('invalid_totp_code');
  });

  it('gives five minutes for the code, then the password is asked again', async () => {
    const user = await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA });
    const { secret } = await enrol(ctx, await login(ctx.app, user.phone, PASSWORD));
    const pendingToken = (await passwordLogin(ctx.app, user.phone)).json().pendingToken as string;
    ctx.clock.advance(5 * 60_000 + 1_000);
    const late = await secondFactor(ctx.app, { pendingToken, code: code(secret) });
    expect(late.statusCode).toBe(401);
    expect(late.json().error.code).toBe('login_challenge_expired');
    expect(late.cookies.find((c) => c.name === 'cz_session')).toBeUndefined();
  });

  it('takes a code of one step before or after (clock drift), not two', async () => {
    const user = await buildUser(ctx.deps, { role: 'gridWorker', region: tree.villageA, gridId: tree.gridA });
    const { secret } = await enrol(ctx, await login(ctx.app, user.phone, PASSWORD));
    const challenge = async () => (await passwordLogin(ctx.app, user.phone)).json().pendingToken as string;
    // Past the step the enrolment used, so the step before now is unused.
    ctx.clock.advance(STEP_MS);

    expect((await secondFactor(ctx.app, { pendingToken: await challenge(), code: code(secret, 2) })).statusCode).toBe(401);
    expect((await secondFactor(ctx.app, { pendingToken: await challenge(), code: code(secret, -1) })).statusCode).toBe(200);
    expect((await secondFactor(ctx.app, { pendingToken: await challenge(), code: code(secret, 1) })).statusCode).toBe(200);
    // A code older than the one last used is refused even inside the window.
    expect((await secondFactor(ctx.app, { pendingToken: await challenge(), code: code(secret, 0) })).statusCode).toBe(401);
  });

  it('takes each recovery code once, however typed', async () => {
    const user = await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA });
    const { recoveryCodes } = await enrol(ctx, await login(ctx.app, user.phone, PASSWORD));
    const recoveryCode = recoveryCodes[0] as string;
    const typed = recoveryCode.toLowerCase().replace(/-/g, ' ');
    const ok = await secondFactor(ctx.app, {
      pendingToken: (await passwordLogin(ctx.app, user.phone)).json().pendingToken,
      recoveryCode: typed,
    });
    expect(ok.statusCode).toBe(200);
    const twice = await secondFactor(ctx.app, {
      pendingToken: (await passwordLogin(ctx.app, user.phone)).json().pendingToken,
      recoveryCode,
    });
    expect(twice.statusCode).toBe(401);
    expect(twice.json().error.code).toBe('invalid_totp_code');
  });

  it('counts wrong codes toward the same lockout as wrong passwords, and audits them', async () => {
    const user = await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA });
    const { secret } = await enrol(ctx, await login(ctx.app, user.phone, PASSWORD));
    // Two wrong passwords and three wrong codes make five.
    expect((await passwordLogin(ctx.app, user.phone, 'Wrong12345')).statusCode).toBe(401);
    expect((await passwordLogin(ctx.app, user.phone, 'Wrong12345')).statusCode).toBe(401);
    // The right password between them does not clear the count: guessing codes must end in a lock.
    const pendingToken = (await passwordLogin(ctx.app, user.phone)).json().pendingToken as string;
    const wrong = code(secret, 5);
    expect((await secondFactor(ctx.app, { pendingToken, code: wrong })).statusCode).toBe(401);
    expect((await secondFactor(ctx.app, { pendingToken, code: wrong })).statusCode).toBe(401);
    const locking = await secondFactor(ctx.app, { pendingToken, code: wrong });
    expect(locking.statusCode).toBe(423);
    // Locked: even the right code is refused.
    const right = await secondFactor(ctx.app, { pendingToken, code: code(secret) });
    expect(right.statusCode).toBe(423);
    expect(await auditReasons(ctx, 'auth.second_factor', user.id)).toEqual(['wrong_code', 'wrong_code', 'wrong_code_locked', 'locked']);
  });

  it('turns off with the password and a code, each wrong one refused; an administrator may reset it, audited', async () => {
    const user = await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA });
    const { secret } = await enrol(ctx, await login(ctx.app, user.phone, PASSWORD));
    const pendingToken = (await passwordLogin(ctx.app, user.phone)).json().pendingToken as string;
    const done = await secondFactor(ctx.app, { pendingToken, code: code(secret) });
    const cookie = done.cookies.find((c) => c.name === 'cz_session')?.value;
    const headers = { cookie: `cz_session=${cookie}`, 'x-csrf-token': done.json().csrfToken };
    const disable = (payload: Record<string, string>) =>
      ctx.app.inject({ method: 'POST', url: '/api/auth/totp/disable', headers, payload });

    ctx.clock.advance(STEP_MS);
    expect((await disable({ password: 'Wrong12345', code: code(secret) })).json().error.code).toBe('invalid_credentials');
    expect((await disable({ password: PASSWORD, code: code(secret, 4) })).json().error.code).toBe('invalid_totp_code');
    expect((await disable({ password: PASSWORD, code: code(secret) })).statusCode).toBe(204);
    expect((await passwordLogin(ctx.app, user.phone)).json().secondFactor).toBeUndefined();

    // Enrolled again, then the phone is lost: the security administrator takes it away.
    await enrol(ctx, await login(ctx.app, user.phone, PASSWORD));
    const admin = await buildUser(ctx.deps, { role: 'securityAdmin', region: tree.county });
    const adminSession = await login(ctx.app, admin.phone, PASSWORD);
    const outsider = await login(ctx.app, (await buildUser(ctx.deps, { role: 'villager', region: tree.villageA })).phone, PASSWORD);
    expect((await outsider.delete(`/api/auth/totp/users/${user.id}`)).statusCode).toBeGreaterThanOrEqual(403);
    const reset = await adminSession.delete(`/api/auth/totp/users/${user.id}`);
    expect(reset.statusCode).toBe(204);
    expect((await passwordLogin(ctx.app, user.phone)).json().secondFactor).toBeUndefined();
    const audit = await ctx.deps.db
      .selectFrom('audit_log')
      .select(['actor_user_id'])
      .where('action', '=', 'user.totp_reset')
      .where('target_id', '=', user.id)
      .execute();
    expect(audit).toEqual([{ actor_user_id: admin.id }]);

    // The administrator's password reset is audited as well.
    expect((await adminSession.post(`/api/org/users/${user.id}/password`, { newPassword: 'Another2026pw' })).statusCode).toBe(204);
    const passwordReset = await ctx.deps.db
      .selectFrom('audit_log')
      .select('actor_user_id')
      .where('action', '=', 'user.password_reset')
      .where('target_id', '=', user.id)
      .execute();
    expect(passwordReset).toEqual([{ actor_user_id: admin.id }]);
  });
});

describe.each(dialects)('REQUIRE_STAFF_TOTP on %s', (dialect) => {
  let tree: Tree;

  const ctx = useTestApp(
    dialect,
    async () => {
      tree = await buildTree(ctx.deps);
    },
    { REQUIRE_STAFF_TOTP: 'true', LOGIN_FAILURES_PER_ADDRESS: '1000' },
  );

  it('is off by default in tests and demo mode, on in production', async () => {
    const { loadConfig } = await import('../../config.ts');
    expect(loadConfig({ NODE_ENV: 'test' }).requireStaffTotp).toBe(false);
    expect(loadConfig({ NODE_ENV: 'development' }).requireStaffTotp).toBe(false);
    expect(loadConfig({ NODE_ENV: 'development', DEMO_DATA: 'false' }).requireStaffTotp).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production' }).requireStaffTotp).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production', REQUIRE_STAFF_TOTP: 'false' }).requireStaffTotp).toBe(false);
  });

  it('lets a staff account without an app sign in only to enrol; every other API answers 403 until it has', async () => {
    const user = await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA });
    const session = await login(ctx.app, user.phone, PASSWORD);
    const info = await session.get('/api/auth/session');
    expect(info.json()).toMatchObject({ totpEnabled: false, totpEnrolmentRequired: true });
    for (const url of ['/api/org/users', '/api/notifications', '/api/cases']) {
      const refused = await session.get(url);
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error.code).toBe('totp_enrolment_required');
    }
    // What the login page needs stays open, logging in again included.
    expect((await session.get('/api/platform-info')).statusCode).toBe(200);
    expect((await session.post('/api/auth/login', { phone: user.phone, password: PASSWORD })).statusCode).toBe(200);
    const { secret } = await enrol(ctx, session);
    expect((await session.get('/api/notifications')).statusCode).toBe(200);
    expect((await session.get('/api/auth/session')).json()).toMatchObject({ totpEnabled: true, totpEnrolmentRequired: false });
    // From now on its logins ask for the code.
    const next = await passwordLogin(ctx.app, user.phone);
    expect(next.json().secondFactor).toBe('totp');
    expect(
      (await secondFactor(ctx.app, { pendingToken: next.json().pendingToken, code: hotp(secret, totpStep(ctx.clock.now)) })).statusCode,
    ).toBe(200);
  });

  it('trusts only the session that confirmed the app: another password-only session of the account ends', async () => {
    const user = await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA });
    // Someone who knows the password signs in first and waits.
    const intruder = await login(ctx.app, user.phone, PASSWORD);
    expect((await intruder.get('/api/cases')).json().error.code).toBe('totp_enrolment_required');
    const owner = await login(ctx.app, user.phone, PASSWORD);
    await enrol(ctx, owner);
    expect((await owner.get('/api/cases')).statusCode).toBe(200);
    const after = await intruder.get('/api/cases');
    expect(after.statusCode).toBe(401);
  });

  it('owes the second factor from the moment a staff role is given to a signed-in account, not from its next login', async () => {
    const admin = await buildUser(ctx.deps, { role: 'securityAdmin', region: tree.county });
    const adminSession = await login(ctx.app, admin.phone, PASSWORD);
    const { secret } = await enrol(ctx, adminSession);
    const user = await buildUser(ctx.deps, { role: 'villager', region: tree.groupA1 });
    const session = await login(ctx.app, user.phone, PASSWORD);
    expect((await session.get('/api/notifications')).statusCode).toBe(200);
    expect(secret.length).toBeGreaterThan(0);
    const given = await adminSession.post(`/api/org/users/${user.id}/role-assignments`, {
      role: 'villageCadre',
      regionId: tree.villageA.id,
    });
    expect(given.statusCode).toBe(201);
    const refused = await session.get('/api/org/people?limit=100');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('totp_enrolment_required');
  });

  it('does not ask villagers', async () => {
    const user = await buildUser(ctx.deps, { role: 'villager', region: tree.groupA1 });
    const session = await login(ctx.app, user.phone, PASSWORD);
    expect((await session.get('/api/auth/session')).json().totpEnrolmentRequired).toBe(false);
    expect((await session.get('/api/notifications')).statusCode).toBe(200);
  });
});
