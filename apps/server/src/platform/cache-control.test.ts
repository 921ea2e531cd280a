// Every /api answer is `Cache-Control: private, no-store` unless its route says otherwise: they carry
// personal data that no browser or proxy should keep (security review, item 3).
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { dialects, login, type Session, useTestApp } from '../../test/build-test-app.ts';
import { buildCase } from '../../test/factories/cases.ts';
import { buildHousehold, buildPerson, buildTree, buildUser, PASSWORD, type Tree } from '../../test/factories.ts';
import { createApiKey } from '../modules/auth/auth.service.ts';
import { DEMO_OPEN311_KEY, seedDemoOpen311 } from '../modules/open311/open311.demo.ts';

describe.each(dialects)('cache-control on %s', (dialect) => {
  let tree: Tree;
  let admin: Session;
  const ctx = useTestApp(dialect, async () => {
    tree = await buildTree(ctx.deps);
    admin = await login(ctx.app, (await buildUser(ctx.deps, { role: 'countyAdmin', region: tree.county })).phone, PASSWORD);
  });

  it('keeps no /api answer, errors included, and leaves a route its own choice', async () => {
    for (const url of ['/api/org/households', '/api/org/people', '/api/care/elders', '/api/auth/current']) {
      const response = await admin.get(url);
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['cache-control'], url).toBe('private, no-store');
    }
    const refused = await ctx.app.inject({ url: '/api/org/people' });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['cache-control']).toBe('private, no-store');
    const shapes = await admin.get(`/api/org/region-shapes?regionId=${tree.county.id}`);
    expect(shapes.headers['cache-control']).toBe('private, max-age=3600');
    expect((await ctx.app.inject({ url: '/healthz' })).headers['cache-control']).not.toBe('private, no-store');
  });

  it('keeps no FHIR or Open311 answer, keyed or not, nor a case or claim photo (security recheck, item 3)', async () => {
    const gateway = await buildUser(ctx.deps, { role: 'doctor', region: tree.townshipA });
    await createApiKey(ctx.deps, { name: 'HIS', kind: 'gateway', key: 'cache-test-gateway', userId: gateway.id });
    const fhir = await ctx.app.inject({ url: '/fhir/Patient', headers: { authorization: 'Bearer cache-test-gateway' } });
    // A key without care.read is refused; the hook sets the header before any route runs, granted or not.
    expect(fhir.statusCode).toBe(403);
    expect(fhir.headers['cache-control']).toBe('private, no-store');
    const metadata = await ctx.app.inject({ url: '/fhir/metadata' });
    expect(metadata.statusCode).toBe(200);
    expect(metadata.headers['cache-control']).toBe('private, no-store');
    await seedDemoOpen311(ctx.deps, tree.county.id);
    for (const url of [`/open311/v2/requests.json?api_key=${DEMO_OPEN311_KEY}`, '/open311/v2/services.json']) {
      const response = await ctx.app.inject({ url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['cache-control'], url).toBe('private, no-store');
    }
    // Not a path that merely starts with a prefix's letters (the web app's pages keep their own rule).
    expect((await ctx.app.inject({ url: '/fhirish' })).headers['cache-control']).not.toBe('private, no-store');

    const photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#3a7' } })
      .jpeg()
      .toBuffer();
    const home = await buildHousehold(ctx.deps, { region: tree.groupA1 });
    const person = await buildPerson(ctx.deps, { region: tree.groupA1, householdId: home.id });
    const villagerUser = await buildUser(ctx.deps, { role: 'villager', region: tree.villageA, personId: person.id });
    const villager = await login(ctx.app, villagerUser.phone, PASSWORD);
    const keeper = await login(ctx.app, (await buildUser(ctx.deps, { role: 'pointsKeeper', region: tree.villageA })).phone, PASSWORD);
    const rule = await keeper.post(`/api/points/villages/${tree.villageA.id}/rules`, {
      code: 'labour',
      item: '参加义务劳动',
      category: 'labour',
      points: 5,
    });
    const claim = await villager.post('/api/points/claims', { householdId: home.id, ruleId: rule.json().id, note: '修路' });
    const upload = await villager.request({
      method: 'POST',
      url: `/api/points/claims/${claim.json().id}/photos?stage=after`,
      payload: photo,
      headers: { 'content-type': 'image/jpeg' },
    });
    expect(upload.statusCode).toBe(201);
    const claimPhoto = await villager.get(`/api/points/claims/${claim.json().id}/photos/${upload.json().id}`);
    expect(claimPhoto.statusCode).toBe(200);
    expect(claimPhoto.headers['cache-control']).toBe('private, no-store');

    const reported = await buildCase(ctx.deps, { reporterId: villagerUser.id, regionId: tree.groupA1.id, countyId: tree.county.id });
    const stored = await villager.request({
      method: 'POST',
      url: `/api/cases/${reported.id}/photos`,
      payload: photo,
      headers: { 'content-type': 'image/jpeg' },
    });
    expect(stored.statusCode).toBe(201);
    for (const url of [stored.json().url, stored.json().thumbUrl]) {
      const response = await villager.get(url);
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['cache-control'], url).toBe('private, no-store');
    }
  });
});
