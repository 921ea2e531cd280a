// Separation of duties (三权分立), GB/T 22239-2019 (MLPS 2.0) level 3: 8.1.4.2 c/d (management users
// get the least privilege and their duties are separated) and 8.1.4.3 c/d (audit records are
// protected from deletion and the audit process from being switched off). The system administrator
// configures, the security administrator manages accounts and roles, the audit administrator alone
// reads the audit log; none does the others' work, and the county admin does none of the three.
import type { Role } from '@cunzhi/contracts/roles';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { dialectOf } from '../src/db/dialect.ts';
import { accountCredentials } from '../src/modules/auth/credentials.service.ts';
import { setupCounty } from '../src/modules/org/county-setup.service.ts';
import { findUser } from '../src/modules/org/users.repository.ts';
import { AppError } from '../src/platform/errors.ts';
import { dialects, login, loginChangingPassword, type Session, useTestApp } from './build-test-app.ts';
import { buildTree, buildUser, PASSWORD, type Tree } from './factories.ts';

type Holder = 'systemAdmin' | 'securityAdmin' | 'auditAdmin' | 'countyAdmin';
const HOLDERS: Holder[] = ['systemAdmin', 'securityAdmin', 'auditAdmin', 'countyAdmin'];
type Work = 'manageUsers' | 'configure' | 'importCatalogue' | 'readAudit' | 'exportAudit';

/** Whose work each is: everyone else is refused. */
const OWNER: Record<Work, Holder> = {
  manageUsers: 'securityAdmin',
  configure: 'systemAdmin',
  importCatalogue: 'systemAdmin',
  readAudit: 'auditAdmin',
  exportAudit: 'auditAdmin',
};

describe.each(dialects)('separation of duties on %s', (dialect) => {
  let tree: Tree;
  const sessions = {} as Record<Holder, Session>;
  const ids = {} as Record<Holder, string>;
  let categoryId: string;
  let catalogueCsv: string;

  const ctx = useTestApp(dialect, async () => {
    tree = await buildTree(ctx.deps);
    for (const holder of HOLDERS) {
      const user = await buildUser(ctx.deps, { role: holder, region: tree.county });
      ids[holder] = user.id;
      sessions[holder] = await login(ctx.app, user.phone, PASSWORD);
    }
    const category = await sessions.systemAdmin.post(`/api/cases/categories?countyId=${tree.county.id}`, {
      code: 'lighting',
      name: '路灯照明',
      routeTo: 'grid',
      deadlineHours: 16,
    });
    expect(category.statusCode).toBe(201);
    categoryId = category.json().id;
    catalogueCsv = (await sessions.systemAdmin.get('/api/services/catalogue.csv')).body;
  });

  /** Each piece of work as one request; its answer when the holder may do it. */
  const attempts: Record<Work, { run(session: Session, holder: Holder): ReturnType<Session['get']>; ok: number }> = {
    manageUsers: {
      run: (session, holder) =>
        session.post('/api/org/users', {
          phone: `1365555${String(HOLDERS.indexOf(holder)).padStart(4, '0')}`,
          displayName: '新账号',
          password: 'Village2026',
        }),
      ok: 201,
    },
    configure: {
      run: (session) =>
        session.request({
          method: 'PUT',
          url: `/api/cases/categories/${categoryId}`,
          payload: { code: 'lighting', name: '路灯照明', routeTo: 'grid', deadlineHours: 8 },
        }),
      ok: 200,
    },
    importCatalogue: {
      run: (session) =>
        session.request({ method: 'POST', url: '/api/services/catalogue', headers: { 'content-type': 'text/csv' }, payload: catalogueCsv }),
      ok: 200,
    },
    readAudit: { run: (session) => session.get('/api/audit/entries?limit=5'), ok: 200 },
    exportAudit: {
      run: (session) => {
        const from = encodeURIComponent(new Date(ctx.deps.now() - 86_400_000).toISOString());
        const to = encodeURIComponent(new Date(ctx.deps.now() + 60_000).toISOString());
        return session.get(`/api/audit/export?from=${from}&to=${to}`);
      },
      ok: 200,
    },
  };

  describe.each(HOLDERS)('%s', (holder) => {
    it.each(Object.keys(OWNER) as Work[])('%s only if it is its duty', async (work) => {
      const response = await attempts[work].run(sessions[holder], holder);
      if (OWNER[work] === holder) {
        expect(response.statusCode).toBe(attempts[work].ok);
      } else {
        expect([403, 404]).toContain(response.statusCode);
        expect(response.json().error.code).toMatch(/^(forbidden|not_found)$/);
      }
    });
  });

  it('the county admin runs the business but reads no audit log, manages no account and configures nothing', async () => {
    const permissions = (await sessions.countyAdmin.get('/api/auth/session')).json().permissions as string[];
    expect(permissions).toEqual(expect.arrayContaining(['cases.read', 'cases.supervise', 'points.read', 'care.read', 'services.read']));
    for (const duty of ['audit.read', 'user.manage', 'cases.configure', 'services.catalogue', 'apiKeys.grant']) {
      expect(permissions).not.toContain(duty);
    }
    const auditPermissions = (await sessions.auditAdmin.get('/api/auth/session')).json().permissions;
    expect(auditPermissions).toEqual(['audit.read']);
  });

  it('no account holds two duties, nor a duty beside other work: 409 duties_conflict', async () => {
    const security = sessions.securityAdmin;
    const give = (userId: string, role: Role) =>
      security.post(`/api/org/users/${userId}/role-assignments`, { role, regionId: tree.county.id });
    for (const [userId, role] of [
      [ids.securityAdmin, 'systemAdmin'],
      [ids.securityAdmin, 'auditAdmin'],
      [ids.auditAdmin, 'systemAdmin'],
      [ids.auditAdmin, 'appealsAgent'],
      [ids.systemAdmin, 'countyAdmin'],
      [ids.countyAdmin, 'auditAdmin'],
    ] as [string, Role][]) {
      const refused = await give(userId, role);
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.code).toBe('duties_conflict');
    }
    for (const holder of HOLDERS) {
      expect((await findUser(ctx.deps.db, ids[holder]))?.assignments.map((a) => a.role)).toEqual([holder]);
    }
  });

  it('the API gives none of the three duties, so the security administrator cannot make itself an auditor by proxy', async () => {
    // A fresh account whose password the security administrator chose: given auditAdmin, it would read the log.
    const created = await sessions.securityAdmin.post('/api/org/users', {
      phone: '13655559999',
      displayName: '傀儡',
      password: 'Puppet2026x',
    });
    expect(created.statusCode).toBe(201);
    for (const role of ['auditAdmin', 'systemAdmin', 'securityAdmin'] as const) {
      const refused = await sessions.securityAdmin.post(`/api/org/users/${created.json().id}/role-assignments`, {
        role,
        regionId: tree.county.id,
      });
      expect(refused.statusCode).toBe(403);
    }
    expect((await findUser(ctx.deps.db, created.json().id))?.assignments).toEqual([]);
    // Nor does it take over the duty holders' accounts: their passwords and states are not its to set.
    for (const holder of ['auditAdmin', 'systemAdmin'] as const) {
      const reset = await sessions.securityAdmin.post(`/api/org/users/${ids[holder]}/password`, { newPassword: 'Taken0ver2026' });
      expect(reset.statusCode).toBe(403);
      const disable = await sessions.securityAdmin.post(`/api/org/users/${ids[holder]}/transitions`, { action: 'disable' });
      expect(disable.statusCode).toBe(403);
    }
    expect((await login(ctx.app, (await findUser(ctx.deps.db, ids.auditAdmin))?.phone as string, PASSWORD)).cookie).toBeTruthy();
  });

  it('the audit log cannot be deleted, changed or emptied through the database (8.1.4.3 c)', async () => {
    const before = await ctx.deps.db.selectFrom('audit_log').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    expect(Number(before.n)).toBeGreaterThan(0);
    await expect(sql`delete from audit_log`.execute(ctx.deps.db)).rejects.toThrow(/append-only/);
    await expect(ctx.deps.db.deleteFrom('audit_log').where('action', '=', 'auth.login').execute()).rejects.toThrow(/append-only/);
    await expect(ctx.deps.db.updateTable('audit_log').set({ outcome: 'ok', details: null }).execute()).rejects.toThrow(/append-only/);
    if (dialectOf(ctx.deps.db) === 'postgres') {
      // TRUNCATE fires no row trigger: a statement trigger refuses it (migration 202612011517).
      await expect(sql`truncate audit_log`.execute(ctx.deps.db)).rejects.toThrow(/append-only/);
    }
    const after = await ctx.deps.db.selectFrom('audit_log').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBeGreaterThanOrEqual(Number(before.n));
  });

  it('no route changes or removes audit records and no setting switches auditing off (8.1.4.3 d)', async () => {
    const spec = (await ctx.app.inject({ url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    const auditPaths = Object.entries(spec.paths).filter(([path]) => /audit/i.test(path));
    expect(auditPaths.length).toBeGreaterThan(0);
    for (const [, methods] of auditPaths) expect(Object.keys(methods).filter((m) => m !== 'parameters')).toEqual(['get']);
    for (const method of ['PUT', 'PATCH', 'DELETE', 'POST'] as const) {
      expect((await sessions.auditAdmin.request({ method, url: '/api/audit/entries' })).statusCode).toBe(404);
    }
    const settings = Object.keys(loadConfig({}));
    expect(settings.filter((key) => /audit/i.test(key) && /(enable|disable|off|skip|mute)/i.test(key))).toEqual([]);
    // The audit administrator's own reads are recorded too: the auditor is audited.
    const exported = await attempts.exportAudit.run(sessions.auditAdmin, 'auditAdmin');
    expect(exported.statusCode).toBe(200);
    const own = (await sessions.auditAdmin.get(`/api/audit/entries?actorUserId=${ids.auditAdmin}&action=audit.`)).json().items;
    expect(own.length).toBeGreaterThan(0);
  });
});

describe.each(dialects)('setting up a county with its three duties on %s', (dialect) => {
  const password = 'Youyang2027';
  const county = { code: '500242', name: '酉阳土家族苗族自治县', adminPhone: '13912345678', adminName: '冉县长', password };
  const duties = {
    systemAdmin: { phone: '13912345671', name: '系统管理员' },
    securityAdmin: { phone: '13912345672', name: '安全管理员' },
    auditAdmin: { phone: '13912345673', name: '审计管理员' },
  };

  const ctx = useTestApp(dialect, async () => {});

  it('refuses one phone for two duties, or for a duty and the county admin, creating nothing', async () => {
    for (const clash of [
      { ...duties, auditAdmin: { phone: duties.securityAdmin.phone, name: '兼任' } },
      { ...duties, systemAdmin: { phone: county.adminPhone, name: '兼任' } },
    ]) {
      const refused = await setupCounty(ctx.deps, { ...county, duties: clash }, accountCredentials).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(AppError);
      expect((refused as AppError).code).toBe('duties_conflict');
    }
    expect((await ctx.deps.db.selectFrom('users').select('id').execute()).length).toBe(0);
  });

  it('creates the county admin and the three duty holders, each doing its own work only', async () => {
    const { dutyUserIds } = await setupCounty(ctx.deps, { ...county, duties }, accountCredentials);
    for (const [duty, holder] of Object.entries(duties)) {
      const user = await findUser(ctx.deps.db, dutyUserIds[duty as keyof typeof duties] as string);
      expect(user?.assignments.map((a) => a.role)).toEqual([duty]);
      expect(user?.phone).toBe(holder.phone);
    }
    // The duty holders were handed the set-up password: each changes it before anything else.
    const handed = await login(ctx.app, duties.auditAdmin.phone, password);
    expect((await handed.get('/api/audit/entries')).json().error.code).toBe('password_change_required');
    const auditor = await loginChangingPassword(ctx.app, duties.auditAdmin.phone, password);
    const setup = (await auditor.get('/api/audit/entries?action=county.setup')).json().items;
    expect(setup).toHaveLength(1);
    const security = await loginChangingPassword(ctx.app, duties.securityAdmin.phone, password);
    expect((await security.get('/api/audit/entries')).statusCode).toBe(403);
    expect((await security.get('/api/org/users?limit=10')).statusCode).toBe(200);
    const admin = await login(ctx.app, county.adminPhone, password);
    expect((await admin.get('/api/audit/entries')).statusCode).toBe(403);
    expect((await admin.get('/api/org/users')).statusCode).toBe(403);
  });
});
