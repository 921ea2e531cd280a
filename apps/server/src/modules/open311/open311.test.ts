import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, dialects, login, type TestContext } from '../../../test/build-test-app.ts';
import { buildTree, buildUser, PASSWORD, type Tree } from '../../../test/factories.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { insertCategory } from '../cases/cases.repository.ts';
import { DEMO_OPEN311_KEY, seedDemoOpen311 } from './open311.demo.ts';

describe.each(dialects)('Open311 GeoReport v2 on %s', (dialect) => {
  let ctx: TestContext;
  let tree: Tree;

  beforeAll(async () => {
    ctx = await buildTestApp(dialect);
    tree = await buildTree(ctx.deps);
    await insertCategory(
      ctx.deps.db,
      {
        id: uuidv7(),
        countyId: tree.county.id,
        code: 'sanitation',
        name: '环境卫生',
        nameEn: 'Sanitation',
        routeTo: 'grid',
        departmentId: null,
        deadlineHours: 16,
        active: true,
      },
      ctx.deps.now(),
    );
    await buildUser(ctx.deps, { role: 'gridWorker', region: tree.villageA, gridId: tree.gridA, phone: '13700000001' });
    await seedDemoOpen311(ctx.deps, tree.county.id);
  });
  afterAll(() => ctx.close());

  const form = (fields: Record<string, string>) => ({
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(fields).toString(),
  });

  it('lists services and a service definition, in JSON and XML', async () => {
    const json = await ctx.app.inject({ url: '/open311/v2/services.json' });
    expect(json.json()).toEqual([
      expect.objectContaining({ service_code: 'sanitation', service_name: '环境卫生', metadata: true, type: 'realtime' }),
    ]);
    const xml = await ctx.app.inject({ url: '/open311/v2/services.xml' });
    expect(xml.headers['content-type']).toContain('text/xml');
    expect(xml.body).toContain('<services><service><service_code>sanitation</service_code>');
    const definition = (await ctx.app.inject({ url: '/open311/v2/services/sanitation.json' })).json();
    expect(definition.attributes[0]).toMatchObject({ code: 'region', required: true, datatype: 'singlevaluelist' });
    expect(definition.attributes[0].values.map((v: { key: string }) => v.key)).toContain(tree.groupA1.code);
  });

  it('takes a request with the api_key into the same workflow, routed to the grid worker', async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      ...form({
        api_key: DEMO_OPEN311_KEY,
        service_code: 'sanitation',
        description: '垃圾池满了，三天没人清运',
        lat: '28.84',
        long: '108.77',
        first_name: '国娥',
        last_name: '王',
        phone: '13500000000',
        'attribute[region]': tree.groupA1.code,
      }),
    });
    expect(response.statusCode).toBe(201);
    const [created] = response.json();
    expect(created.service_request_id).toMatch(/^[0-9a-f-]{36}$/);

    const worker = await login(ctx.app, '13700000001', PASSWORD);
    const caseItem = (await worker.get(`/api/cases/${created.service_request_id}`)).json();
    expect(caseItem).toMatchObject({ channel: 'open311', state: 'assigned', reporterName: '王国娥', latitude: 28.84 });

    const one = await ctx.app.inject({ url: `/open311/v2/requests/${created.service_request_id}.json?api_key=${DEMO_OPEN311_KEY}` });
    expect(one.json()[0]).toMatchObject({ service_request_id: created.service_request_id, status: 'open', service_code: 'sanitation' });
    const list = await ctx.app.inject({ url: `/open311/v2/requests.xml?api_key=${DEMO_OPEN311_KEY}&status=open&service_code=sanitation` });
    expect(list.body).toContain(`<service_request_id>${created.service_request_id}</service_request_id>`);
    const closed = await ctx.app.inject({ url: `/open311/v2/requests.json?api_key=${DEMO_OPEN311_KEY}&status=closed` });
    expect(closed.json()).toEqual([]);
  });

  it('answers mistakes with the standard error list and a 4xx, and books nothing', async () => {
    const before = (await ctx.deps.db.selectFrom('cases').select('id').execute()).length;
    const noKey = await ctx.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      ...form({ service_code: 'sanitation', description: 'x' }),
    });
    expect(noKey.statusCode).toBe(400);
    expect(noKey.json()).toEqual([{ code: 400, description: 'api_key is required' }]);
    const badKey = await ctx.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.xml',
      ...form({ api_key: 'nope', service_code: 'sanitation', description: 'x' }),
    });
    expect(badKey.statusCode).toBe(403);
    expect(badKey.body).toContain('<errors><error><code>403</code>');
    const noRegion = await ctx.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      ...form({ api_key: DEMO_OPEN311_KEY, service_code: 'sanitation', description: 'x' }),
    });
    expect(noRegion.statusCode).toBe(400);
    const unknownService = await ctx.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      ...form({ api_key: DEMO_OPEN311_KEY, service_code: 'nothing', description: 'x', 'attribute[region]': tree.groupA1.code }),
    });
    expect(unknownService.statusCode).toBe(404);
    expect((await ctx.app.inject({ url: '/open311/v2/requests.json' })).statusCode).toBe(400);
    expect((await ctx.app.inject({ url: '/open311/v2/services.yaml' })).statusCode).toBe(404);
    expect((await ctx.deps.db.selectFrom('cases').select('id').execute()).length).toBe(before);
  });
});
