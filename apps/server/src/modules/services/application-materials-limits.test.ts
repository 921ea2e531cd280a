// A material's file is kept only while the application still takes materials, decided where the
// file is written (a decision made while a picture is being checked comes after no file it never
// saw), and an application holds a bounded number of files (attacker recheck, 2026-12-03).
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { dialects, login, type Session, useTestApp } from '../../../test/build-test-app.ts';
import { buildHousehold, buildPerson, buildTree, buildUser, PASSWORD } from '../../../test/factories.ts';
import { MAX_FILES_PER_MATERIAL } from './application-materials.service.ts';
import { seedDemoServices } from './services.demo.ts';

type Item = { id: string; name: string; materials: { name: string; required: boolean }[] };

describe.each(dialects)('application materials on %s', (dialect) => {
  const phones = { villager: '', handler: '' };
  let member: string;
  let photo: Buffer;
  const as = (who: keyof typeof phones): Promise<Session> => login(ctx.app, phones[who], PASSWORD);

  const ctx = useTestApp(dialect, async () => {
    const tree = await buildTree(ctx.deps);
    await seedDemoServices(ctx.deps, new Map([['500242', tree.county]]));
    const household = await buildHousehold(ctx.deps, { region: tree.groupA1 });
    const self = await buildPerson(ctx.deps, { region: tree.groupA1, householdId: household.id, name: '冉鲜荣' });
    member = (await buildPerson(ctx.deps, { region: tree.groupA1, householdId: household.id, name: '冉小军' })).id;
    phones.villager = (await buildUser(ctx.deps, { role: 'villager', region: tree.villageA, personId: self.id })).phone;
    const handler = await buildUser(ctx.deps, { role: 'departmentHandler', region: tree.county, name: '市场监管局田科长' });
    const department = await ctx.deps.db
      .selectFrom('departments')
      .select('id')
      .where('name', '=', '县市场监管局')
      .executeTakeFirstOrThrow();
    await ctx.deps.db.updateTable('role_assignments').set({ department_id: department.id }).where('user_id', '=', handler.id).execute();
    phones.handler = handler.phone;
    photo = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#2a6' } })
      .jpeg()
      .toBuffer();
  });

  const apply = async (villager: Session) => {
    const item = (
      (await villager.get(`/api/services/items?q=${encodeURIComponent('个体工商户设立登记')}`)).json().items as Item[]
    )[0] as Item;
    const made = await villager.post('/api/services/applications', { itemId: item.id, applicantPersonId: member, delivery: 'collect' });
    expect(made.statusCode).toBe(201);
    return { id: made.json().id as string, material: (item.materials[0] as Item['materials'][number]).name };
  };
  const upload = (session: Session, id: string, material: string) =>
    session.request({
      method: 'POST',
      url: `/api/services/applications/${id}/materials?material=${encodeURIComponent(material)}`,
      headers: { 'content-type': 'image/jpeg' },
      payload: photo,
    });
  const filesOf = (id: string) =>
    ctx.deps.db.selectFrom('service_application_files').select('id').where('application_id', '=', id).execute();

  it('answers a retried upload (same key, same file) with the first file, and another file of the same size under the key with 422', async () => {
    const villager = await as('villager');
    const { id, material } = await apply(villager);
    const send = (payload: Buffer) =>
      villager.request({
        method: 'POST',
        url: `/api/services/applications/${id}/materials?material=${encodeURIComponent(material)}`,
        headers: { 'content-type': 'image/jpeg', 'idempotency-key': 'page-1' },
        payload,
      });
    const first = await send(photo);
    expect(first.statusCode).toBe(201);
    const again = await send(photo);
    expect(again.statusCode).toBe(201);
    expect(again.json().id).toBe(first.json().id);
    // The same length, other bytes: one byte of the picture data changed.
    const other = Buffer.from(photo);
    const last = other.length - 3;
    other[last] = (other[last] as number) ^ 0xff;
    expect(other.length).toBe(photo.length);
    const reused = await send(other);
    expect(reused.statusCode).toBe(422);
    expect(reused.json().error.code).toBe('idempotency_key_reused');
    expect(await filesOf(id)).toHaveLength(1);
  });

  it('keeps no file sent while the application was refused', async () => {
    const villager = await as('villager');
    const { id, material } = await apply(villager);
    // The refusal is written, uncommitted, before the upload arrives, and committed while the
    // upload's picture is being checked: its first look at the application (outside the writer's
    // transaction) still finds it waiting for acceptance.
    const refusedMeanwhile = ctx.deps.db.transaction().execute(async (trx) => {
      await trx.updateTable('service_applications').set({ state: 'refused' }).where('id', '=', id).execute();
      await new Promise((resolve) => setTimeout(resolve, 400));
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const sending = upload(villager, id, material);
    await refusedMeanwhile;
    const late = await sending;
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('invalid_transition');
    expect(await filesOf(id)).toEqual([]);
  });

  it(`takes at most ${MAX_FILES_PER_MATERIAL} files for one material, and says so in words`, async () => {
    const villager = await as('villager');
    const { id, material } = await apply(villager);
    for (let i = 0; i < MAX_FILES_PER_MATERIAL; i++) expect((await upload(villager, id, material)).statusCode).toBe(201);
    const one = await upload(villager, id, material);
    expect(one.statusCode).toBe(409);
    expect(one.json().error).toMatchObject({ code: 'materials_full' });
    expect(one.json().error.message).toContain(`每份材料最多${MAX_FILES_PER_MATERIAL}个文件`);
    expect(await filesOf(id)).toHaveLength(MAX_FILES_PER_MATERIAL);
  });
});
