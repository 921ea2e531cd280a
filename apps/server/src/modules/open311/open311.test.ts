// Open311 GeoReport v2 as its specification reads (wiki.open311.org/GeoReport_v2); each test names
// the section it follows.
import { describe, expect, it } from 'vitest';
import { dialects, useTestApp } from '../../../test/build-test-app.ts';
import { buildCaseWorld, type CaseWorld } from '../../../test/case-world.ts';
import { DEMO_OPEN311_KEY, seedDemoOpen311 } from './open311.demo.ts';
import { xmlProblem } from './xml-check.ts';

const BASE = '/open311/v2';
const KEY = DEMO_OPEN311_KEY;

describe.each(dialects)('Open311 GeoReport v2 on %s', (dialect) => {
  let world: CaseWorld;

  const ctx = useTestApp(dialect, async () => {
    world = await buildCaseWorld(ctx);
    await seedDemoOpen311(ctx.deps, world.tree.county.id);
  });

  const post = (format: 'json' | 'xml', fields: Record<string, string> | [string, string][], headers: Record<string, string> = {}) =>
    ctx.app.inject({
      method: 'POST',
      url: `${BASE}/requests.${format}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...headers },
      payload: new URLSearchParams(fields).toString(),
    });
  const get = (path: string) => ctx.app.inject({ method: 'GET', url: `${BASE}${path}` });
  const report = async (fields: Record<string, string>) => {
    const response = await post('json', { api_key: KEY, service_code: 'road', ...fields });
    expect(response.statusCode).toBe(201);
    return response.json()[0].service_request_id as string;
  };
  const caseCount = async () => (await ctx.deps.db.selectFrom('cases').select('id').execute()).length;
  const expectWellFormed = (body: string) => expect(xmlProblem(body)).toBeNull();

  it('lists services and defines the region attribute, in JSON and well-formed XML (GET Service List, GET Service Definition)', async () => {
    const json = await get('/services.json');
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(json.json().map((s: { service_code: string }) => s.service_code)).toEqual(['road', 'traffic']);
    const xml = await get('/services.xml');
    expect(xml.headers['content-type']).toBe('text/xml; charset=utf-8');
    expectWellFormed(xml.body);
    expect(xml.body).toContain('<services><service><service_code>road</service_code>');
    const definition = await get('/services/road.xml');
    expectWellFormed(definition.body);
    expect(definition.body).toContain('<service_definition><service_code>road</service_code><attributes><attribute>');
    expect(definition.body).toContain(`<values><value><key>${world.tree.villageA.code}</key>`);
    expect((await get('/services/nothing.json')).statusCode).toBe(404);
    expect((await get('/services.yaml')).statusCode).toBe(404);
    const unknown = await get('/tokens/1.xml');
    expect(unknown.statusCode).toBe(404);
    expectWellFormed(unknown.body);
    expect(unknown.body).toContain('<errors><error><code>404</code>');
  });

  it('takes a request with a location into the workflow; address_id is the region code (POST Service Request)', async () => {
    const response = await post('xml', {
      api_key: KEY,
      jurisdiction_id: 'youyang.gov.cn',
      service_code: 'road',
      address_id: world.tree.groupA1.code,
      lat: '28.84',
      long: '108.77',
      last_name: '王',
      first_name: '国娥',
      phone: '135 0000 0000',
      description: '路口塌了一米多\r\n车过不去',
      email: 'wang@example.cn',
    });
    expect(response.statusCode).toBe(201);
    expectWellFormed(response.body);
    // The response's items are <request> under <service_requests>, as in the specification's example.
    const id = /<service_requests><request><service_request_id>([0-9a-f-]{36})<\/service_request_id>/.exec(response.body)?.[1];
    expect(id).toBeDefined();
    const caseItem = (await world.gridWorker.get(`/api/cases/${id}`)).json();
    expect(caseItem).toMatchObject({
      channel: 'open311',
      state: 'assigned',
      reporterName: '王国娥',
      reporterPhone: '135 0000 0000',
      latitude: 28.84,
      description: '路口塌了一米多\n车过不去',
      title: '路口塌了一米多 车过不去',
    });

    // address_string alone is a location too; attribute[region] names the village, and the place in words reaches the handler.
    const byAddress = await report({ address_string: '村委会门口', 'attribute[region]': world.tree.groupA1.code, description: '路灯坏了' });
    expect((await world.gridWorker.get(`/api/cases/${byAddress}`)).json().description).toBe('路灯坏了\n\n地点 Place: 村委会门口');
    // The description is optional: the service's name stands in for it.
    const bare = await report({ address_id: world.tree.villageA.code });
    expect((await world.cadre.get(`/api/cases/${bare}`)).json().title).toBe('道路破损');
  });

  it('refuses a request without a location, with the whole error list and nothing booked (POST Service Request, Errors)', async () => {
    const before = await caseCount();
    const none = await post('json', { api_key: KEY, service_code: 'road', description: '没有地点' });
    expect(none.statusCode).toBe(400);
    expect(none.json()).toEqual([
      { code: 400, description: 'A location is required: lat and long, address_string or address_id' },
      { code: 400, description: 'attribute[region] is required (the service definition lists the codes), or give the code as address_id' },
    ]);
    const half = await post('xml', { api_key: KEY, service_code: 'road', lat: '28.8', 'attribute[region]': world.tree.groupA1.code });
    expect(half.statusCode).toBe(400);
    expectWellFormed(half.body);
    expect(half.body).toContain('<errors><error><code>400</code><description>lat and long must be sent together</description></error>');
    // A position alone does not say which village's grid worker should go.
    expect((await post('json', { api_key: KEY, service_code: 'road', lat: '28.8', long: '108.7' })).statusCode).toBe(400);
    const elsewhere = await post('json', {
      api_key: KEY,
      service_code: 'road',
      address_id: world.tree.groupA1.code,
      'attribute[region]': world.tree.groupB1.code,
    });
    expect(elsewhere.json()).toEqual([{ code: 400, description: 'address_id and attribute[region] name different places' }]);
    // A township is not where a report is filed; an unknown code is no place at all.
    expect((await post('json', { api_key: KEY, service_code: 'road', address_id: world.tree.townshipA.code })).statusCode).toBe(400);
    expect((await post('json', { api_key: KEY, service_code: 'road', address_id: '500242999999' })).statusCode).toBe(400);
    expect((await post('json', { api_key: KEY, service_code: 'nothing', address_id: world.tree.groupA1.code })).statusCode).toBe(404);
    expect(await caseCount()).toBe(before);
  });

  it('asks for the api_key only to post, and refuses a missing or wrong one with 403 (Errors: "403 for errors because of wrong or missing api_key")', async () => {
    const before = await caseCount();
    const fields = { service_code: 'road', address_id: world.tree.groupA1.code };
    const missing = await post('json', fields);
    expect(missing.statusCode).toBe(403);
    expect(missing.json()).toEqual([{ code: 403, description: 'api_key is required to post a service request' }]);
    const wrong = await post('xml', { ...fields, api_key: 'nope' });
    expect(wrong.statusCode).toBe(403);
    expectWellFormed(wrong.body);
    expect(wrong.body).toContain('<errors><error><code>403</code>');
    // On GET a wrong key is refused too, never read as no key.
    expect((await get('/requests.json?api_key=nope')).statusCode).toBe(403);
    expect((await get(`/requests.json?api_key=${KEY}&api_key=${KEY}`)).statusCode).toBe(403);
    expect((await get(`/requests/${'0'.repeat(8)}-0000-7000-8000-${'0'.repeat(12)}.json?api_key=nope`)).statusCode).toBe(403);
    // A wrong key is refused before the rest of the request is read, as when posting.
    expect((await get('/requests.json?api_key=nope&status=bogus')).statusCode).toBe(403);
    expect((await get('/requests.json?api_key=nope&start_date=x')).statusCode).toBe(403);
    expect((await get('/requests/xyz.json?api_key=nope')).statusCode).toBe(403);
    expect((await get('/requests/xyz.json')).statusCode).toBe(404);
    expect(await caseCount()).toBe(before);
  });

  it('refuses oversized, repeated, mistyped and control-character fields with 400, never 500, and never repeats them (POST Service Request)', async () => {
    const before = await caseCount();
    const base = { api_key: KEY, service_code: 'road', address_id: world.tree.groupA1.code, description: '水管爆了' };
    const refusals: [Record<string, string> | [string, string][], string][] = [
      [{ ...base, first_name: 'N'.repeat(50_000) }, 'first_name is longer than 40 characters'],
      [{ ...base, phone: '1'.repeat(5_000) }, 'phone must be 5 to 20 digits, spaces and + - ( )'],
      [{ ...base, phone: '138abc' }, 'phone must be 5 to 20 digits, spaces and + - ( )'],
      [
        { ...base, last_name: '欧阳'.repeat(10), first_name: '名'.repeat(25) },
        'first_name and last_name together are longer than 40 characters',
      ],
      [{ ...base, description: '字'.repeat(4001) }, 'description is longer than 4000 characters'],
      [{ ...base, first_name: 'A\u0007B' }, 'first_name holds control characters'],
      [{ ...base, address_string: '一组\n二组' }, 'address_string holds control characters'],
      [{ ...base, email: `${'x'.repeat(300)}@example.cn` }, 'email is longer than 254 characters'],
      [{ ...base, lat: '28.8e1', long: '108' }, 'lat must be a decimal number (WGS84)'],
      [{ ...base, lat: '128.8', long: '108' }, 'lat must lie between -90 and 90'],
      [{ ...base, address_id: '50024210520100<script>' }, 'address_id must be the code of a village or villager group'],
      [{ ...base, 'attribute[colour]': 'red' }, 'Only attribute[region] is defined for this service'],
      [[...Object.entries(base), ['service_code', 'traffic']], 'service_code may be given only once'],
      [{ ...base, service_code: 'x'.repeat(65) }, 'service_code is longer than 64 characters'],
    ];
    for (const [fields, description] of refusals) {
      const response = await post('json', fields);
      expect(response.statusCode, description).toBe(400);
      expect(response.json()).toContainEqual({ code: 400, description });
      expect(response.body).not.toMatch(/NNNN|名名|11111|<script>|xxxx|colour/);
    }
    // Only a form is read: JSON, whose values could be numbers or objects, and plain text are refused.
    for (const [type, payload] of [
      ['application/json', JSON.stringify({ ...base, description: 42, lat: { $gt: 1 } })],
      ['text/plain', 'api_key=demo'],
    ]) {
      const response = await ctx.app.inject({
        method: 'POST',
        url: `${BASE}/requests.json`,
        headers: { 'content-type': type as string },
        payload,
      });
      expect(response.statusCode).toBe(415);
      expect(response.json()).toEqual([{ code: 415, description: expect.any(String) }]);
    }
    // Far beyond any legitimate request, the body is not even read.
    const huge = await post('xml', { ...base, first_name: '名'.repeat(50_000) });
    expect(huge.statusCode).toBe(413);
    expectWellFormed(huge.body);
    expect(await caseCount()).toBe(before);
  });

  it('strips control characters from a description on the way in, and requests.xml stays well-formed for old rows that hold them (Encoding, XML Support)', async () => {
    const id = await report({
      address_id: world.tree.groupA1.code,
      description: 'bell\u0007 nul\u0000 esc\u001b 路\u000b灯\u007f坏了\tline\nnext',
    });
    const stored = (await world.gridWorker.get(`/api/cases/${id}`)).json();
    expect(stored.description).toBe('bell nul esc 路灯坏了\tline\nnext');

    // A row written before input was cleaned: its text still reaches every XML answer intact but for those characters.
    await ctx.deps.db
      .updateTable('cases')
      .set({ title: '旧\u0001标题\u001f', description: '旧\u0002描述\ufffe' })
      .where('id', '=', id)
      .execute();
    for (const url of [`/requests.xml?api_key=${KEY}`, `/requests/${id}.xml?api_key=${KEY}`, '/requests.xml', `/requests/${id}.xml`]) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(200);
      expectWellFormed(response.body);
    }
    expect((await get(`/requests/${id}.xml?api_key=${KEY}`)).body).toContain('<description>旧描述</description>');
    expect((await get(`/requests/${id}.xml`)).body).toContain('<description>旧标题</description>');
  });

  it("answers GET without an api_key with the village affairs' public view: no reporter, cleaned text, no unmoderated reports (GET Service Requests, GET Service Request: 'Requires API Key: No')", async () => {
    const voice = await report({
      address_id: world.tree.groupA1.code,
      last_name: '王',
      first_name: '小明',
      phone: '13912345678',
      lat: '28.84',
      long: '108.77',
      description: '王小明反映水管爆了，电话13912345678，身份证500242196005170011',
    });
    const exposure = async (title: string) => {
      const response = await world.villager.post('/api/cases', {
        source: 'exposureBoard',
        channel: 'app',
        categoryId: world.categories.road,
        regionId: world.tree.groupA1.id,
        title,
        description: `${title}，请联系${world.villagerName}，电话13900001111。`,
      });
      expect(response.statusCode).toBe(201);
      return response.json().id as string;
    };
    const pending = await exposure('待审核的曝光');
    const published = await exposure('将公开的曝光');
    const rejected = await exposure('被驳回的曝光');
    expect(
      (
        await world.cadre.post(`/api/cases/${published}/moderation`, {
          decision: 'publish',
          publicTitle: '路口塌陷',
          publicText: '路口塌了，王小明说的',
        })
      ).statusCode,
    ).toBe(200);
    expect((await world.cadre.post(`/api/cases/${rejected}/moderation`, { decision: 'reject' })).statusCode).toBe(200);

    const list = await get('/requests.json');
    expect(list.statusCode).toBe(200);
    const items = list.json() as Record<string, unknown>[];
    const ids = items.map((r) => r.service_request_id);
    expect(ids).toContain(voice);
    expect(ids).toContain(published);
    expect(ids).not.toContain(pending);
    expect(ids).not.toContain(rejected);
    const shown = items.find((r) => r.service_request_id === voice);
    expect(shown).toMatchObject({
      status: 'open',
      service_code: 'road',
      service_name: '道路破损',
      // The title is cut at 40 characters, before the ID card number rather than inside it.
      description: '王某某反映水管爆了，电话[电话已隐去]，身份证',
      address: '平地坝村',
      address_id: world.tree.villageA.code,
      lat: null,
      long: null,
      agency_responsible: null,
      expected_datetime: null,
      updated_datetime: null,
    });
    expect(items.find((r) => r.service_request_id === published)).toMatchObject({ description: '路口塌了，王某某说的' });
    expect(list.body).not.toMatch(/王小明|13912345678|13900001111|500242196005170011|28\.84|reporter/);

    const xml = await get('/requests.xml');
    expectWellFormed(xml.body);
    expect(xml.body).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?><service_requests><request><service_request_id>/);
    expect(xml.body).not.toContain('<service_request>');

    const one = await get(`/requests/${voice}.json`);
    expect(one.json()).toHaveLength(1);
    expect(one.json()[0]).toMatchObject({ service_request_id: voice, lat: null });
    expect((await get(`/requests/${pending}.json`)).statusCode).toBe(404);
    expect((await get(`/requests/${rejected}.xml`)).statusCode).toBe(404);
    expect((await get('/requests/not-an-id.json')).statusCode).toBe(404);

    // The key holder (the county appeals centre) reads its scope: the report as handled, but never the reporter.
    const keyed = (await get(`/requests/${voice}.json?api_key=${KEY}`)).json()[0];
    expect(keyed).toMatchObject({ lat: 28.84, agency_responsible: '网格员 Grid worker' });
    expect(keyed.description).toContain('13912345678');
    expect(JSON.stringify(keyed)).not.toMatch(/reporter|王小明"/);
    expect((await get(`/requests/${pending}.json?api_key=${KEY}`)).statusCode).toBe(200);
  });

  it('keeps a phone number out of the public list however it is written: split by commas or in Chinese numerals (security recheck, item 2)', async () => {
    const id = await report({ address_id: world.tree.groupA1.code, description: '邻居电话139，1234，5678 一三九一二三四五六七八' });
    const list = await get('/requests.json');
    expect(list.statusCode).toBe(200);
    const shown = (list.json() as { service_request_id: string; description: string }[]).find((r) => r.service_request_id === id);
    expect(shown?.description).toBe('邻居电话[电话已隐去] [电话已隐去]');
    expect(list.body).not.toMatch(/139，1234|一三九一二三四/);
  });

  it('filters by service_request_id, service_code, status and a date range of at most 90 days, refusing malformed parameters with 400 (GET Service Requests)', async () => {
    const road = await report({ address_id: world.tree.groupA1.code, description: '路面坑洼' });
    const traffic = (
      await post('json', { api_key: KEY, service_code: 'traffic', address_id: world.tree.groupA1.code, description: '公交太少' })
    ).json()[0].service_request_id as string;
    const ids = async (query: string) => {
      const response = await get(`/requests.json?${query}`);
      expect(response.statusCode, query).toBe(200);
      return response.json().map((r: { service_request_id: string }) => r.service_request_id) as string[];
    };
    expect(await ids(`service_request_id=${road},${traffic}`)).toEqual([traffic, road]);
    // service_request_id overrides every other argument.
    expect(await ids(`service_request_id=${road}&service_code=traffic&status=closed`)).toEqual([road]);
    const byCode = await ids('service_code=traffic');
    expect(byCode).toContain(traffic);
    expect(byCode).not.toContain(road);
    expect(await ids(`api_key=${KEY}&service_code=traffic&status=closed`)).toEqual([]);
    expect(await ids('status=open&status=closed')).toContain(road);
    expect(await ids('status=open,closed&service_code=road,traffic')).toContain(traffic);
    const now = new Date(ctx.clock.now);
    const day = 24 * 3_600_000;
    const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
    expect(await ids(`start_date=${iso(now.getTime() - day)}&end_date=${iso(now.getTime() + day)}`)).toContain(road);
    expect(await ids(`end_date=${iso(now.getTime() - day)}`)).not.toContain(road);
    expect(await ids(`start_date=${encodeURIComponent(iso(now.getTime() - day).replace('Z', '+08:00'))}`)).toContain(road);
    // An empty parameter is one not sent (Definitions, "Optional Arguments").
    expect(await ids('status=&service_code=&api_key=')).toContain(road);

    const malformed = [
      'start_date=yesterday',
      'start_date=2026-01-01',
      'start_date=2026-02-30T00:00:00Z',
      'start_date=2026-01-01T25:00:00Z',
      'start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z',
      'start_date=2026-06-01T00:00:00Z&end_date=2026-01-01T00:00:00Z',
      'start_date=2026-01-01T00:00:00Z&start_date=2026-01-02T00:00:00Z',
      'status=pending',
      'status=open,',
      'service_request_id=1 or 1=1',
      `service_request_id=${Array.from({ length: 101 }, () => road).join(',')}`,
      `service_code=${'x'.repeat(65)}`,
    ];
    for (const query of malformed) {
      const response = await get(`/requests.xml?${query}`);
      expect(response.statusCode, query).toBe(400);
      expectWellFormed(response.body);
      expect(response.body).not.toContain('yesterday');
    }
  });

  it('keeps to the 90 most recent days by default and to twelve months for anyone without a key (GET Service Requests, Response Volume)', async () => {
    const old = await report({ address_id: world.tree.groupA1.code, description: '去年的事' });
    ctx.clock.advance(100 * 24 * 3_600_000);
    expect((await get('/requests.json')).json().map((r: { service_request_id: string }) => r.service_request_id)).not.toContain(old);
    expect((await get(`/requests/${old}.json`)).statusCode).toBe(200);
    ctx.clock.advance(300 * 24 * 3_600_000);
    expect((await get(`/requests/${old}.json`)).statusCode).toBe(404);
    expect((await get(`/requests/${old}.json?api_key=${KEY}`)).statusCode).toBe(200);
  });
});
