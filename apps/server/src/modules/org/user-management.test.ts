// Who may act on whose account. A manager changes a user only when every role of that user lies
// inside the manager's scope and none manages users at or above the manager's own level; seeing
// one of the roles is enough to read the user. Issue 12.1: a township official reset the password
// of, and disabled, a county admin who was also a doctor in that township.
import type { Role } from '@cunzhi/contracts/roles';
import { describe, expect, it } from 'vitest';
import { dialects, login, type Session, useTestApp } from '../../../test/build-test-app.ts';
import { buildHousehold, buildPerson, buildTree, buildUser, PASSWORD, type Tree } from '../../../test/factories.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { createApiKey, principalForApiKey } from '../auth/auth.service.ts';
import type { RegionRecord } from './regions.repository.ts';
import { findUser, insertRoleAssignment } from './users.repository.ts';

type ManagerName = 'securityAdmin' | 'huatianOfficial' | 'heishuiOfficial' | 'huatianCadre';
type TargetName = 'countyAdminAndHuatianDoctor' | 'huatianOfficialAndVillager' | 'spanningTwoTownships' | 'huatianVillager' | 'noRoles';
/**
 * manage: every change goes through; assign: read and give a role, every other change 403
 * first_role_only; see: read, every change 403; none: 404; denied: no user.manage, 403.
 */
type Reach = 'manage' | 'assign' | 'see' | 'none' | 'denied';

// In the test tree 花田乡 (Huatian) is townshipB with villageB; 黑水镇 (Heishui) is townshipA.
const EXPECTED: Record<ManagerName, Record<TargetName, Reach>> = {
  // The county's accounts are the security administrator's (GB/T 22239-2019 8.1.4.2); the county
  // admin runs the business and manages nobody, so its account is the security administrator's too.
  securityAdmin: {
    countyAdminAndHuatianDoctor: 'manage',
    huatianOfficialAndVillager: 'manage',
    spanningTwoTownships: 'manage',
    huatianVillager: 'manage',
    noRoles: 'manage',
  },
  huatianOfficial: {
    countyAdminAndHuatianDoctor: 'see', // the reported takeover
    huatianOfficialAndVillager: 'see', // a peer in the same township
    spanningTwoTownships: 'see', // the grid-worker role lies in Heishui
    huatianVillager: 'manage',
    noRoles: 'assign', // a first role, but not its password: the county may give it any role later
  },
  heishuiOfficial: {
    countyAdminAndHuatianDoctor: 'none',
    huatianOfficialAndVillager: 'none',
    spanningTwoTownships: 'see', // the caretaker role lies in Huatian
    huatianVillager: 'none',
    noRoles: 'assign',
  },
  huatianCadre: {
    countyAdminAndHuatianDoctor: 'denied',
    huatianOfficialAndVillager: 'denied',
    spanningTwoTownships: 'denied',
    huatianVillager: 'denied',
    noRoles: 'denied',
  },
};

const MANAGERS = Object.keys(EXPECTED) as ManagerName[];
const TARGETS = Object.keys(EXPECTED.securityAdmin) as TargetName[];

describe.each(dialects)('managing user accounts on %s', (dialect) => {
  let tree: Tree;
  const managers = {} as Record<ManagerName, Session>;

  const giveRole = (userId: string, role: Role, region: RegionRecord, gridId: string | null = null) =>
    insertRoleAssignment(ctx.deps.db, { id: uuidv7(), userId, role, regionId: region.id, gridId }, ctx.deps.now());

  async function buildTarget(name: TargetName): Promise<{ id: string; phone: string }> {
    const holding: Record<TargetName, [Role, RegionRecord, string?][]> = {
      countyAdminAndHuatianDoctor: [
        ['countyAdmin', tree.county],
        ['doctor', tree.townshipB],
      ],
      huatianOfficialAndVillager: [
        ['townshipOfficial', tree.townshipB],
        ['villager', tree.villageB],
      ],
      spanningTwoTownships: [
        ['gridWorker', tree.villageA, tree.gridA],
        ['caretaker', tree.villageB],
      ],
      huatianVillager: [['villager', tree.villageB]],
      noRoles: [],
    };
    const user = await buildUser(ctx.deps, { region: tree.county });
    for (const [role, region, gridId] of holding[name]) await giveRole(user.id, role, region, gridId ?? null);
    return user;
  }

  /** What an account looks like to the database, to show a refused change left it alone. */
  async function stateOf(id: string) {
    const user = await findUser(ctx.deps.db, id);
    const { password_hash } = await ctx.deps.db
      .selectFrom('credentials')
      .select('password_hash')
      .where('user_id', '=', id)
      .executeTakeFirstOrThrow();
    return { disabled: user?.disabled, roles: user?.assignments.map((a) => a.id), passwordHash: password_hash };
  }

  const ctx = useTestApp(dialect, async () => {
    tree = await buildTree(ctx.deps);
    const as = async (role: Role, region: RegionRecord) => login(ctx.app, (await buildUser(ctx.deps, { role, region })).phone, PASSWORD);
    managers.securityAdmin = await as('securityAdmin', tree.county);
    managers.huatianOfficial = await as('townshipOfficial', tree.townshipB);
    managers.heishuiOfficial = await as('townshipOfficial', tree.townshipA);
    managers.huatianCadre = await as('villageCadre', tree.villageB);
  });

  describe.each(MANAGERS)('%s', (managerName) => {
    it.each(TARGETS)('against a user holding %s', async (targetName) => {
      const reach = EXPECTED[managerName][targetName];
      const manager = managers[managerName];
      const target = await buildTarget(targetName);
      const before = await stateOf(target.id);
      const firstRole = before.roles?.[0];
      const newRoleRegion = managerName === 'heishuiOfficial' ? tree.villageA : tree.villageB;
      const refusal = { manage: 0, assign: 403, see: 403, none: 404, denied: 403 }[reach];

      const read = await manager.get(`/api/org/users/${target.id}`);
      expect(read.statusCode).toBe({ manage: 200, assign: 200, see: 200, none: 404, denied: 403 }[reach]);
      const listed = (await manager.get('/api/org/users?limit=100')).json().items?.map((u: { id: string }) => u.id) ?? [];
      expect(listed.includes(target.id)).toBe(reach !== 'none' && reach !== 'denied');

      const password = await manager.post(`/api/org/users/${target.id}/password`, { newPassword: 'Taken0ver2026' });
      const disable = await manager.post(`/api/org/users/${target.id}/transitions`, { action: 'disable' });
      const unlock = await manager.post(`/api/org/users/${target.id}/transitions`, { action: 'unlock' });
      const enable = await manager.post(`/api/org/users/${target.id}/transitions`, { action: 'enable' });
      const add = await manager.post(`/api/org/users/${target.id}/role-assignments`, { role: 'caretaker', regionId: newRoleRegion.id });
      const remove = firstRole && (await manager.delete(`/api/org/users/${target.id}/role-assignments/${firstRole}`));

      if (reach === 'manage') {
        expect(password.statusCode).toBe(204);
        expect(disable.json().disabled).toBe(true);
        expect(unlock.statusCode).toBe(200);
        expect(enable.json().disabled).toBe(false);
        expect(add.statusCode).toBe(201);
        if (remove) expect(remove.statusCode).toBe(200);
        const after = await stateOf(target.id);
        expect(after.passwordHash).not.toBe(before.passwordHash);
        expect(after.roles).not.toContain(firstRole);
        // One role given, the first one held (if any) taken away.
        expect(after.roles).toHaveLength((before.roles?.length ?? 0) + 1 - (firstRole ? 1 : 0));
        return;
      }
      if (reach === 'assign') {
        for (const response of [password, disable, unlock, enable]) {
          expect(response.statusCode).toBe(403);
          expect(response.json().error.code).toBe('first_role_only');
        }
        expect(add.statusCode).toBe(201);
        const after = await stateOf(target.id);
        expect(after).toEqual({ ...before, roles: [expect.any(String)] });
        return;
      }
      for (const response of [password, disable, unlock, enable, add, ...(remove ? [remove] : [])]) {
        expect(response.statusCode).toBe(refusal);
        expect(response.json().error.code).toBe(refusal === 404 ? 'not_found' : 'forbidden');
        expect(response.body).not.toContain(target.phone);
      }
      expect(await stateOf(target.id)).toEqual(before);
    });
  });

  it('a township official cannot take over a county admin who is also a doctor in that township (issue 12.1)', async () => {
    const target = await buildTarget('countyAdminAndHuatianDoctor');
    const adminSession = await login(ctx.app, target.phone, PASSWORD);
    const official = managers.huatianOfficial;
    expect((await official.post(`/api/org/users/${target.id}/password`, { newPassword: 'Taken0ver2026' })).statusCode).toBe(403);
    expect((await official.post(`/api/org/users/${target.id}/transitions`, { action: 'disable' })).statusCode).toBe(403);
    const [doctorRole] = (await findUser(ctx.deps.db, target.id))?.assignments.filter((a) => a.role === 'doctor') ?? [];
    expect((await official.delete(`/api/org/users/${target.id}/role-assignments/${doctorRole?.id}`)).statusCode).toBe(403);
    // The admin is still logged in and still logs in with their own password.
    expect((await adminSession.get('/api/auth/session')).statusCode).toBe(200);
    expect((await login(ctx.app, target.phone, PASSWORD)).cookie).toBeTruthy();
    const audited = await ctx.deps.db.selectFrom('audit_log').select('action').where('target_id', '=', target.id).execute();
    expect(audited.map((a) => a.action)).not.toContain('user.password_reset');
  });

  it('roles are given only inside the scope and below the giver’s level', async () => {
    const user = await buildTarget('noRoles');
    const assign = (session: Session, role: Role, region: RegionRecord) =>
      session.post(`/api/org/users/${user.id}/role-assignments`, { role, regionId: region.id });
    const official = managers.huatianOfficial;
    expect((await assign(official, 'townshipOfficial', tree.townshipB)).statusCode).toBe(403);
    expect((await assign(official, 'countyAdmin', tree.county)).statusCode).toBe(404);
    expect((await assign(official, 'villageCadre', tree.villageA)).statusCode).toBe(404);
    // Nobody gives a peer's role, nor any of the three duties (appointed from the command line).
    expect((await assign(managers.securityAdmin, 'securityAdmin', tree.county)).statusCode).toBe(403);
    expect((await findUser(ctx.deps.db, user.id))?.assignments).toEqual([]);
    // Roles that manage nobody are given at the giver's own level: the township's service hall.
    expect((await assign(official, 'serviceHallAgent', tree.townshipB)).statusCode).toBe(201);
    expect((await assign(managers.securityAdmin, 'townshipOfficial', tree.townshipB)).statusCode).toBe(201);
    // Now a peer of the Huatian official, who can no longer change the account.
    expect((await assign(official, 'villageCadre', tree.villageB)).statusCode).toBe(403);
    expect((await official.post(`/api/org/users/${user.id}/password`, { newPassword: 'Taken0ver2026' })).statusCode).toBe(403);
  });

  it('a manager does not manage its own account here', async () => {
    const admin = await buildUser(ctx.deps, { role: 'securityAdmin', region: tree.county });
    const session = await login(ctx.app, admin.phone, PASSWORD);
    expect((await session.get(`/api/org/users/${admin.id}`)).statusCode).toBe(200);
    expect((await session.post(`/api/org/users/${admin.id}/transitions`, { action: 'disable' })).statusCode).toBe(403);
    expect((await session.post(`/api/org/users/${admin.id}/password`, { newPassword: 'Another2026' })).statusCode).toBe(403);
  });

  it('a change takes effect on the target’s open session at once', async () => {
    const official = await buildUser(ctx.deps, { role: 'townshipOfficial', region: tree.townshipB });
    await giveRole(official.id, 'villageCadre', tree.villageB);
    const session = await login(ctx.app, official.phone, PASSWORD);
    const roles = async () => (await session.get('/api/auth/session')).json().user.assignments.map((a: { role: Role }) => a.role);
    expect(await roles()).toEqual(['townshipOfficial', 'villageCadre']);
    const townshipRole = (await findUser(ctx.deps.db, official.id))?.assignments[0]?.id;
    const removed = await managers.securityAdmin.delete(`/api/org/users/${official.id}/role-assignments/${townshipRole}`);
    expect(removed.statusCode).toBe(200);
    expect(await roles()).toEqual(['villageCadre']);
    expect((await session.get('/api/org/users')).statusCode).toBe(403);
    await managers.securityAdmin.post(`/api/org/users/${official.id}/password`, { newPassword: 'Fresh2026pw' });
    expect((await session.get('/api/auth/session')).statusCode).toBe(401);
  });

  it('a township official cannot set the password of an account without roles and ride the county role given later', async () => {
    // The probe: the official set a roleless account's password, the county admin then made it a
    // county appeals agent, and the official logged in with county-wide powers.
    const target = await buildTarget('noRoles');
    const official = managers.huatianOfficial;
    const reset = await official.post(`/api/org/users/${target.id}/password`, { newPassword: 'Taken0ver2026' });
    expect(reset.statusCode).toBe(403);
    expect(reset.json().error.code).toBe('first_role_only');
    expect(
      (
        await managers.securityAdmin.post(`/api/org/users/${target.id}/role-assignments`, {
          role: 'appealsAgent',
          regionId: tree.county.id,
        })
      ).statusCode,
    ).toBe(201);
    const login = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { phone: target.phone, password: 'Taken0ver2026' },
    });
    expect(login.statusCode).toBe(401);
    // The county admin, who could give it any role, still looks after such an account.
    expect((await managers.securityAdmin.post(`/api/org/users/${target.id}/password`, { newPassword: 'Fresh2026pw' })).statusCode).toBe(
      204,
    );
  });

  it('links an account to a person only for whoever keeps that person’s register, and only once (the security admin could act as any elder)', async () => {
    const home = await buildHousehold(ctx.deps, { region: tree.groupB1 });
    const elder = await buildPerson(ctx.deps, { region: tree.groupB1, householdId: home.id, name: '何易光' });
    const account = (phone: string) => ({ phone, displayName: '何易光', password: 'Fresh2026pw', personId: elder.id });
    // The county's security administrator manages staff accounts, not the people's register.
    const bySecurity = await managers.securityAdmin.post('/api/org/users', account('13911110001'));
    expect(bySecurity.statusCode).toBe(403);
    const byOfficial = await managers.huatianOfficial.post('/api/org/users', account('13911110002'));
    expect(byOfficial.statusCode).toBe(201);
    const again = await managers.huatianOfficial.post('/api/org/users', account('13911110003'));
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('person_has_account');
  });

  it('an account whose roles were all taken away is the county’s to re-enable, not the official’s', async () => {
    const target = await buildTarget('huatianVillager');
    const official = managers.huatianOfficial;
    expect((await official.post(`/api/org/users/${target.id}/transitions`, { action: 'disable' })).statusCode).toBe(200);
    const [role] = (await findUser(ctx.deps.db, target.id))?.assignments ?? [];
    expect((await official.delete(`/api/org/users/${target.id}/role-assignments/${role?.id}`)).statusCode).toBe(200);
    const before = await stateOf(target.id);
    for (const [url, body] of [
      ['transitions', { action: 'enable' }],
      ['transitions', { action: 'unlock' }],
      ['password', { newPassword: 'Taken0ver2026' }],
    ] as const) {
      const refused = await official.post(`/api/org/users/${target.id}/${url}`, body);
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error.code).toBe('first_role_only');
    }
    expect(await stateOf(target.id)).toEqual(before);
    expect((await managers.securityAdmin.post(`/api/org/users/${target.id}/transitions`, { action: 'enable' })).json().disabled).toBe(
      false,
    );
  });
});

describe.each(dialects)('accounts that back an integration key on %s', (dialect) => {
  let tree: Tree;
  let official: Session;
  let admin: Session;

  const ctx = useTestApp(dialect, async () => {
    tree = await buildTree(ctx.deps);
    official = await login(ctx.app, (await buildUser(ctx.deps, { role: 'townshipOfficial', region: tree.townshipB })).phone, PASSWORD);
    admin = await login(ctx.app, (await buildUser(ctx.deps, { role: 'securityAdmin', region: tree.county })).phone, PASSWORD);
  });

  /** A health centre's gateway: an account with the doctor role in Huatian that a gateway key acts as. */
  async function buildGateway(key: string) {
    const user = await buildUser(ctx.deps, { role: 'doctor', region: tree.townshipB });
    await createApiKey(ctx.deps, { name: 'gateway', kind: 'gateway', key, userId: user.id });
    return user;
  }

  it('has no usable password and never logs in, whatever the password (the probe: gateway-huatian)', async () => {
    const gateway = await buildGateway('test-gateway-key-1');
    const { password_hash } = await ctx.deps.db
      .selectFrom('credentials')
      .select('password_hash')
      .where('user_id', '=', gateway.id)
      .executeTakeFirstOrThrow();
    expect(password_hash.startsWith('scrypt$')).toBe(false);
    // The factory's password worked before the key was made; it does not now.
    const refused = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { phone: gateway.phone, password: PASSWORD } });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.code).toBe('invalid_credentials');
    const audit = await ctx.deps.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'auth.login')
      .where('target_id', '=', gateway.id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.details ?? '{}').reason).toBe('key_account');
    // A login names a mobile number: the demo's key accounts' names are not even looked up.
    const named = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { phone: 'gateway-huatian', password: PASSWORD },
    });
    expect(named.statusCode).toBe(400);
    expect(named.json().error.code).toBe('validation_failed');
    // The key still acts for it.
    expect((await principalForApiKey(ctx.deps, 'test-gateway-key-1', 'gateway'))?.userId).toBe(gateway.id);
  });

  it('refuses user management its password, enabling and new roles, with key_account', async () => {
    const gateway = await buildGateway('test-gateway-key-2');
    const stateOfGateway = () =>
      ctx.deps.db
        .selectFrom('users')
        .innerJoin('credentials', 'credentials.user_id', 'users.id')
        .select(['credentials.password_hash', 'users.disabled'])
        .where('users.id', '=', gateway.id)
        .executeTakeFirstOrThrow();
    const before = await stateOfGateway();
    for (const manager of [official, admin]) {
      const answers = [
        await manager.post(`/api/org/users/${gateway.id}/password`, { newPassword: 'Taken0ver2026' }),
        await manager.post(`/api/org/users/${gateway.id}/transitions`, { action: 'enable' }),
        await manager.post(`/api/org/users/${gateway.id}/role-assignments`, { role: 'caretaker', regionId: tree.villageB.id }),
      ];
      for (const answer of answers) {
        expect(answer.statusCode).toBe(409);
        expect(answer.json().error.code).toBe('key_account');
      }
    }
    expect(await stateOfGateway()).toEqual(before);
    expect((await findUser(ctx.deps.db, gateway.id))?.assignments.map((a) => a.role)).toEqual(['doctor']);
    // Disabling it stays open: it stops the key.
    expect((await official.post(`/api/org/users/${gateway.id}/transitions`, { action: 'disable' })).json().disabled).toBe(true);
  });
});
