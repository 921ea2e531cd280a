// FHIR R4 (http://hl7.org/fhir/R4/) for elder care, and the audit of every read of health data
// whatever the route. Sections cited are pages and anchors of the R4 specification.
import { beforeEach, describe, expect, it } from 'vitest';
import { dialects, login, type Session, useTestApp } from '../../../test/build-test-app.ts';
import { buildPerson, buildTree, buildUser, PASSWORD, type Tree } from '../../../test/factories.ts';
import { createApiKey } from '../auth/auth.service.ts';
import { dateRange, dateWindow, EVENT_SYSTEM, kindsForCodes, parseObservation } from './fhir-resources.ts';

const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const HOUR = 3_600_000;

describe.each(dialects)('FHIR R4 for elder care on %s', (dialect) => {
  let tree: Tree;
  let doctor: Session;
  let doctorB: Session;
  let admin: Session;
  let doctorUserId: string;
  let readerAccountId: string;
  let readerKeyId: string;
  let elderId: string;
  let otherElderId: string;

  // Each test runs on its own copy of the seeded database: none leans on what another left.
  const ctx = useTestApp(dialect, async () => {
    tree = await buildTree(ctx.deps);
    const doctorUser = await buildUser(ctx.deps, { role: 'doctor', region: tree.townshipA });
    doctorUserId = doctorUser.id;
    doctor = await login(ctx.app, doctorUser.phone, PASSWORD);
    doctorB = await login(ctx.app, (await buildUser(ctx.deps, { role: 'doctor', region: tree.townshipB })).phone, PASSWORD);
    admin = await login(ctx.app, (await buildUser(ctx.deps, { role: 'systemAdmin', region: tree.county })).phone, PASSWORD);
    // The demo's shape: a gateway account holds the doctor role for its township, and its key writes only.
    const gateway = await buildUser(ctx.deps, { role: 'doctor', region: tree.townshipA });
    await createApiKey(ctx.deps, { name: 'Heishui gateway', kind: 'gateway', key: 'fhir-gateway-key', userId: gateway.id });
    const reader = await buildUser(ctx.deps, { role: 'doctor', region: tree.townshipA });
    readerAccountId = reader.id;
    readerKeyId = await createApiKey(ctx.deps, { name: 'Heishui HIS', kind: 'gateway', key: 'fhir-reader-key', userId: reader.id });
    elderId = (await buildPerson(ctx.deps, { region: tree.groupA1, name: '何奶奶' })).id;
    otherElderId = (await buildPerson(ctx.deps, { region: tree.groupB1, name: '石爷爷' })).id;
    const take = (session: Session, personId: string) =>
      session.post('/api/care/elders', { personId, livingSituation: '独居', conditions: ['高血压'], contacts: [] });
    expect((await take(doctor, elderId)).statusCode).toBe(200);
    expect((await take(doctorB, otherElderId)).statusCode).toBe(200);
    expect((await doctor.post(`/api/care/elders/${elderId}/devices`, { serial: 'FH-BR-1', kind: 'bracelet' })).statusCode).toBe(201);
    expect((await doctorB.post(`/api/care/elders/${otherElderId}/devices`, { serial: 'FH-BR-2', kind: 'bracelet' })).statusCode).toBe(201);
  });
  // The app lives for the whole file; its per-process caches (devices, last-seen times) must not outlive a test's database.
  beforeEach(() => ctx.deps.caches?.clear());

  const fhir = (method: 'GET' | 'POST', url: string, payload?: unknown, key = 'fhir-gateway-key') =>
    ctx.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${key}`, ...(method === 'POST' && { 'content-type': 'application/fhir+json' }) },
      payload: typeof payload === 'string' ? payload : payload === undefined ? undefined : JSON.stringify(payload),
    });
  const iso = (offsetMs = 0) => new Date(ctx.clock.now + offsetMs).toISOString();
  /** A blood pressure as a health centre's record system sends it: a subject, no device. */
  const bloodPressure = (systolic: number, value: string, extra: Record<string, unknown> = {}) => ({
    resourceType: 'Observation',
    identifier: [{ system: 'urn:oid:2.16.156.500242105.1', value }],
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
    code: { coding: [{ system: LOINC, code: '85354-9' }] },
    subject: { reference: `Patient/${elderId}` },
    effectiveDateTime: iso(),
    component: [
      {
        code: { coding: [{ system: LOINC, code: '8480-6' }] },
        valueQuantity: { value: systolic, unit: 'mmHg', system: UCUM, code: 'mm[Hg]' },
      },
      { code: { coding: [{ system: LOINC, code: '8462-4' }] }, valueQuantity: { value: 95, unit: 'mmHg', system: UCUM, code: 'mm[Hg]' } },
    ],
    ...extra,
  });
  const heartRate = (value: number, at: string, id: string, extra: Record<string, unknown> = {}) => ({
    resourceType: 'Observation',
    identifier: [{ system: 'urn:example:his', value: id }],
    status: 'final',
    code: { coding: [{ system: LOINC, code: '8867-4' }] },
    subject: { reference: `Patient/${elderId}` },
    effectiveDateTime: at,
    valueQuantity: { value, unit: 'beats/minute', system: UCUM, code: '/min' },
    ...extra,
  });
  const auditCount = async (userId: string) =>
    Number(
      (
        await ctx.deps.db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('actor_user_id', '=', userId)
          .where('action', 'like', 'care.%')
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('takes a vital sign sent with a subject and no device, once per identifier, and runs the alarm rules (observation.html, http.html#create, http.html#ccreate)', async () => {
    const created = await fhir('POST', '/fhir/Observation', bloodPressure(188, 'bp-1'));
    expect(created.statusCode).toBe(201);
    expect(created.headers['content-type']).toContain('application/fhir+json');
    const id = created.json().id as string;
    expect(created.headers.location).toMatch(new RegExp(`/fhir/Observation/${id}/_history/1$`));
    // The same identifier (system and value) again is the same Observation: 200, nothing stored twice.
    const again = await fhir('POST', '/fhir/Observation', bloodPressure(188, 'bp-1'));
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(id);
    // A repeat carrying another value changed nothing and is answered with what is stored, not what was sent (attacker).
    const changed = await fhir('POST', '/fhir/Observation', bloodPressure(199, 'bp-1', { extra: 1 }));
    expect(changed.statusCode).toBe(200);
    expect(changed.json().component[0].valueQuantity.value).toBe(188);
    expect(changed.json()).not.toHaveProperty('extra');
    expect(changed.json().meta.lastUpdated).toBe(created.json().meta.lastUpdated);
    // The same value under another system is another Observation.
    const otherSystem = bloodPressure(185, 'bp-1', { identifier: [{ system: 'urn:example:other-his', value: 'bp-1' }] });
    expect((await fhir('POST', '/fhir/Observation', otherSystem)).statusCode).toBe(201);
    const stored = await ctx.deps.db
      .selectFrom('care_readings')
      .select(['kind', 'value1'])
      .where('elder_person_id', '=', elderId)
      .execute();
    expect(stored).toEqual([
      { kind: 'bloodPressure', value1: 188 },
      { kind: 'bloodPressure', value1: 185 },
    ]);
    // Like any reading: the alarm rules ran (systolic 188 is high at once), and it counts as activity.
    const alarms = await ctx.deps.db
      .selectFrom('care_alarms')
      .select(['cause', 'repeats'])
      .where('elder_person_id', '=', elderId)
      .execute();
    expect(alarms).toEqual([{ cause: 'systolicHigh', repeats: 2 }]);
    // It shows in the doctor's readings and in an Observation search, with the sender's identifier.
    const readings = (await doctor.get(`/api/care/elders/${elderId}/readings?since=${encodeURIComponent(iso(-HOUR))}`)).json();
    expect(readings.items.map((r: { value: number }) => r.value)).toEqual([188, 185]);
    const found = (await doctor.get(`/fhir/Observation?subject=Patient/${elderId}&code=${LOINC}|85354-9`)).json();
    expect(found.total).toBe(2);
    expect(found.entry[0].resource).toMatchObject({
      id,
      identifier: [{ system: 'urn:oid:2.16.156.500242105.1', value: 'bp-1' }],
      subject: { reference: `Patient/${elderId}` },
    });
    // With the measuring device it joins the device's readings, as before.
    const withDevice = bloodPressure(120, 'bp-dev-1', { device: { reference: 'Device/FH-BR-1' } });
    expect((await fhir('POST', '/fhir/Observation', withDevice)).statusCode).toBe(201);
    expect((await fhir('POST', '/fhir/Observation', withDevice)).statusCode).toBe(200);
  });

  it('refuses what it cannot take with an OperationOutcome that does not repeat the input (operationoutcome.html)', async () => {
    const refused = async (payload: unknown, status: number) => {
      const response = await fhir('POST', '/fhir/Observation', payload);
      expect(response.statusCode).toBe(status);
      const body = response.json();
      expect(body.resourceType).toBe('OperationOutcome');
      expect(body.issue[0].severity).toBe('error');
      return body.issue[0] as { code: string; diagnostics: string };
    };
    const before = await ctx.deps.db.selectFrom('care_readings').select('id').execute();
    expect((await refused('{"resourceType": ', 400)).code).toBe('structure');
    expect((await refused({ ...bloodPressure(120, 'x-1'), subject: undefined }, 422)).diagnostics).toContain('subject');
    expect((await refused({ ...bloodPressure(120, 'x-2'), status: 'registered' }, 422)).diagnostics).toContain('status');
    expect((await refused({ ...bloodPressure(120, 'x-3'), effectiveDateTime: '2026-11-30' }, 422)).diagnostics).toContain(
      'effectiveDateTime',
    );
    const noDiastolic = bloodPressure(120, 'x-4');
    noDiastolic.component = noDiastolic.component.slice(0, 1);
    expect((await refused(noDiastolic, 422)).diagnostics).toContain('8462-4');
    // The vital-signs profile measures heart rate in UCUM /min (observation-vitalsigns.html).
    const perSecond = heartRate(70, iso(), 'x-5', { valueQuantity: { value: 70, system: UCUM, code: '/s' } });
    expect((await refused(perSecond, 422)).diagnostics).toContain('/min');
    expect((await refused(heartRate(900, iso(), 'x-6'), 422)).diagnostics).toBe('The value is outside what a person can have');
    expect((await refused(heartRate(70, iso(HOUR), 'x-7'), 422)).diagnostics).toContain('future');
    // A value the code does not measure is refused, not dropped (attacker): the bp profile prohibits
    // value[x] (observation-vitalsigns.html), a heart rate has no components, an SOS no value.
    const sos = { ...heartRate(70, iso(), 'x-14'), code: { coding: [{ system: EVENT_SYSTEM, code: 'sos' }] } };
    const component = { code: { coding: [{ system: LOINC, code: '8462-4' }] }, valueQuantity: { value: 80 } };
    for (const [payload, id] of [
      [sos, 'sos with a value'],
      [bloodPressure(120, 'x-15', { valueQuantity: { value: 120 } }), 'panel with a value'],
      [heartRate(70, iso(), 'x-16', { component: [component] }), 'heart rate with a component'],
    ] as const) {
      expect([id, (await refused(payload, 422)).diagnostics]).toEqual([id, 'The observation carries a value its kind does not have']);
    }
    // An identifier is text without control characters, and is never repeated back.
    const escaped = await refused(heartRate(70, iso(), 'c\u0000\u001b[31m-x'), 422);
    expect(escaped.diagnostics).toContain('control characters');
    expect(escaped.diagnostics).not.toContain('[31m');
    // Another township's patient, an unknown one, and a device not the patient's are refused alike.
    const elsewhere = await refused({ ...heartRate(70, iso(), 'x-8'), subject: { reference: `Patient/${otherElderId}` } }, 422);
    const unknown = await refused(
      { ...heartRate(70, iso(), 'x-9'), subject: { reference: 'Patient/0190a0a0-0000-7000-8000-000000000000' } },
      422,
    );
    const notTheirs = await refused(heartRate(70, iso(), 'x-10', { device: { reference: 'Device/FH-BR-2' } }), 422);
    expect(new Set([elsewhere.diagnostics, unknown.diagnostics, notTheirs.diagnostics]).size).toBe(1);
    expect(elsewhere.diagnostics).not.toContain(otherElderId);
    // A signed-in village cadre does not send readings.
    const cadre = await login(ctx.app, (await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA })).phone, PASSWORD);
    const byCadre = await cadre.request({
      method: 'POST',
      url: '/fhir/Observation',
      headers: { 'content-type': 'application/fhir+json' },
      payload: JSON.stringify(heartRate(70, iso(), 'x-11')),
    });
    expect(byCadre.statusCode).toBe(422);
    expect((await ctx.app.inject({ method: 'POST', url: '/fhir/Observation', payload: heartRate(70, iso(), 'x-12') })).statusCode).toBe(
      401,
    );
    expect((await fhir('POST', '/fhir/Observation', heartRate(70, iso(), 'x-13'), 'no-such-key')).json().issue[0].code).toBe('login');
    expect(await ctx.deps.db.selectFrom('care_readings').select('id').execute()).toHaveLength(before.length);
  });

  it('answers a retried create under one Idempotency-Key as the first time, and refuses another body under it (the project rule for device writes)', async () => {
    const post = (payload: unknown, key: string) =>
      ctx.app.inject({
        method: 'POST',
        url: '/fhir/Observation',
        headers: { authorization: 'Bearer fhir-gateway-key', 'content-type': 'application/fhir+json', 'idempotency-key': key },
        payload: JSON.stringify(payload),
      });
    const sent = heartRate(72, iso(), 'k-1');
    const first = await post(sent, 'retry-1');
    expect(first.statusCode).toBe(201);
    const again = await post(sent, 'retry-1');
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect(again.headers.location).toBe(first.headers.location);
    const changed = await post(heartRate(99, iso(), 'k-1'), 'retry-1');
    expect(changed.statusCode).toBe(422);
    expect(changed.json().resourceType).toBe('OperationOutcome');
    expect(JSON.stringify(changed.json())).not.toContain('99');
    const stored = await ctx.deps.db.selectFrom('care_readings').select('value1').where('reading_key', 'like', '%k-1').execute();
    expect(stored.map((r) => r.value1)).toEqual([72]);
    // The same key on the batch route, from the same gateway, is another endpoint's key: refused.
    const batch = await ctx.app.inject({
      method: 'POST',
      url: '/api/care/readings',
      headers: { authorization: 'Bearer fhir-gateway-key', 'idempotency-key': 'retry-1' },
      payload: { readings: [{ device: 'FH-BR-1', kind: 'heartRate', value: 70, at: iso() }] },
    });
    expect(batch.statusCode).toBe(422);
    expect(batch.json().error.code).toBe('idempotency_key_reused');
    // A key with a control character is refused before anything is stored, as an OperationOutcome.
    const badKey = await post(heartRate(70, iso(), 'k-2'), 'a\tb');
    expect(badKey.statusCode).toBe(400);
    expect(badKey.json().resourceType).toBe('OperationOutcome');
  });

  it('answers an unknown resource type or operation with a 404 OperationOutcome (http.html#general)', async () => {
    for (const [method, url] of [
      ['GET', '/fhir/Medication'],
      ['GET', '/fhir/Observation/x/_history/1/extra'],
      ['POST', '/fhir/Patient/$everything'],
      ['POST', '/fhir/Medication'],
      // An operation or interaction on a type is not a malformed id (attacker: these were 400).
      ['GET', '/fhir/Patient/$everything'],
      ['GET', '/fhir/Observation/%24lastn?patient=x'],
      ['GET', '/fhir/Patient/_search'],
      ['GET', '/fhir/Observation/_history'],
    ] as const) {
      const response = await fhir(method, url, method === 'POST' ? {} : undefined);
      expect([url, response.statusCode]).toEqual([url, 404]);
      expect(response.headers['content-type']).toContain('application/fhir+json');
      expect(response.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error' }] });
      // One answer for any unknown route, with a body or without (attacker: POST said not-found in Chinese).
      expect(response.json().issue[0]).toMatchObject({
        code: 'not-supported',
        diagnostics: 'This server has no such resource type or operation',
      });
    }
    // A client that names the FHIR media type on every request, a DELETE without a body too: the
    // interaction is not supported here (404), not a malformed body (it was 400 "not valid JSON").
    for (const length of ['0', undefined]) {
      const deleted = await ctx.app.inject({
        method: 'DELETE',
        url: `/fhir/Observation/x`,
        headers: {
          authorization: 'Bearer fhir-gateway-key',
          'content-type': 'application/fhir+json',
          ...(length !== undefined && { 'content-length': length }),
        },
      });
      expect(deleted.statusCode).toBe(404);
      expect(deleted.json().issue[0]).toMatchObject({ code: 'not-supported' });
    }
    // An empty body where one is needed is still malformed.
    const empty = await fhir('POST', '/fhir/Observation', '');
    expect(empty.statusCode).toBe(400);
    expect(empty.json().issue[0]).toMatchObject({ code: 'structure' });
  });

  it('lets a gateway key write and read nothing, until the county grants it care.read; its reads are then audited under its account', async () => {
    for (const url of ['/fhir/Patient', `/fhir/Patient/${elderId}`, `/fhir/Observation?subject=Patient/${elderId}`]) {
      const refused = await fhir('GET', url);
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'forbidden' }] });
      expect((await fhir('GET', url, undefined, 'fhir-reader-key')).statusCode).toBe(403);
    }
    const stored = (await fhir('POST', '/fhir/Observation', heartRate(72, iso(), 'hr-w'))).json();
    expect((await fhir('GET', `/fhir/Observation/${stored.id}`)).statusCode).toBe(403);
    // The batch route answers a write-only key without the alarms its readings raised.
    const batch = await ctx.app.inject({
      method: 'POST',
      url: '/api/care/readings',
      headers: { authorization: 'Bearer fhir-gateway-key' },
      payload: { readings: [{ device: 'FH-BR-1', id: 'sos-w', kind: 'sos', at: iso() }] },
    });
    expect(batch.json()).toMatchObject({ accepted: 1, alarms: [] });

    // Only the county grants; the doctor may not, nor name a scope beyond care.read.
    expect(
      (await doctor.request({ method: 'PUT', url: `/api/care/gateway-keys/${readerKeyId}/scopes`, payload: { scopes: ['care.read'] } }))
        .statusCode,
    ).toBe(403);
    expect(
      (await admin.request({ method: 'PUT', url: `/api/care/gateway-keys/${readerKeyId}/scopes`, payload: { scopes: ['care.manage'] } }))
        .statusCode,
    ).toBe(400);
    const keys = (await admin.get('/api/care/gateway-keys')).json();
    expect(keys.items.map((k: { name: string; scopes: string[] }) => [k.name, k.scopes])).toEqual([
      ['Heishui gateway', []],
      ['Heishui HIS', []],
    ]);
    const granted = await admin.request({
      method: 'PUT',
      url: `/api/care/gateway-keys/${readerKeyId}/scopes`,
      payload: { scopes: ['care.read'] },
    });
    expect(granted.json()).toMatchObject({ id: readerKeyId, scopes: ['care.read'] });

    const before = await auditCount(readerAccountId);
    const patients = (await fhir('GET', '/fhir/Patient', undefined, 'fhir-reader-key')).json();
    expect(patients).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 1 });
    expect(patients.entry[0]).toMatchObject({ resource: { resourceType: 'Patient', id: elderId }, search: { mode: 'match' } });
    expect(patients.entry[0].fullUrl).toMatch(new RegExp(`/fhir/Patient/${elderId}$`));
    expect((await fhir('GET', `/fhir/Observation/${stored.id}`, undefined, 'fhir-reader-key')).json()).toMatchObject({
      id: stored.id,
      valueQuantity: { value: 72 },
    });
    // Another township's patient is not known to it.
    expect((await fhir('GET', `/fhir/Patient/${otherElderId}`, undefined, 'fhir-reader-key')).statusCode).toBe(404);
    expect(await auditCount(readerAccountId)).toBe(before + 2);
    const trail = await ctx.deps.db
      .selectFrom('audit_log')
      .select(['action', 'actor_role', 'target_id'])
      .where('actor_user_id', '=', readerAccountId)
      .orderBy('id')
      .execute();
    expect(trail.map((t) => t.action)).toEqual(['care.elders.read', 'care.reading.read']);
    expect(trail[0]?.actor_role).toBe('gateway-key:doctor');
    const grants = await ctx.deps.db.selectFrom('audit_log').select('details').where('action', '=', 'api_key.scopes').execute();
    expect(grants.map((g) => JSON.parse(g.details as string))).toEqual([{ from: [], to: ['care.read'] }]);

    // Taken back: the key writes only again.
    await admin.request({ method: 'PUT', url: `/api/care/gateway-keys/${readerKeyId}/scopes`, payload: { scopes: [] } });
    expect((await fhir('GET', '/fhir/Patient', undefined, 'fhir-reader-key')).statusCode).toBe(403);
    expect((await fhir('POST', '/fhir/Observation', heartRate(74, iso(), 'hr-r'), 'fhir-reader-key')).statusCode).toBe(201);
  });

  it('leaves an audit record for every read of health data, whatever the route', async () => {
    expect((await fhir('POST', '/fhir/Observation', heartRate(72, iso(), 'hr-read'))).statusCode).toBe(201);
    const since = encodeURIComponent(iso(-HOUR));
    const reading = (await doctor.get(`/fhir/Observation?subject=${elderId}`)).json().entry[0].resource.id as string;
    // A reminder read out on the elder's speaker: its delivery names the elder.
    expect((await doctor.post(`/api/care/elders/${elderId}/devices`, { serial: 'FH-SP-1', kind: 'speaker' })).statusCode).toBe(201);
    const reminder = await doctor.post('/api/care/reminders', { text: '记得量血压', elderPersonIds: [elderId] });
    expect(reminder.statusCode).toBe(201);
    const reads = [
      '/api/care/missed-visits?since=2000-01-01',
      '/api/care/reminders',
      `/api/care/reminders/${reminder.json().id}`,
      '/api/care/elders',
      `/api/care/elders/${elderId}/readings?since=${since}`,
      `/api/care/elders/${elderId}/trends?period=hour&since=${since}`,
      `/api/care/elders/${elderId}/visits?since=${since}`,
      `/api/care/elders/${elderId}/devices`,
      `/api/care/elders/${elderId}/rules`,
      '/api/care/alarms',
      '/api/care/rounds',
      '/fhir/Patient',
      `/fhir/Patient/${elderId}`,
      `/fhir/Observation?subject=Patient/${elderId}`,
      `/fhir/Observation/${reading}`,
      `/fhir/Observation/${reading}/_history/1`,
    ];
    for (const url of reads) {
      const before = await auditCount(doctorUserId);
      const response = await doctor.get(url);
      expect(response.statusCode, url).toBe(200);
      expect(await auditCount(doctorUserId), url).toBe(before + 1);
    }
    const listed = await ctx.deps.db
      .selectFrom('audit_log')
      .select('action')
      .where('actor_user_id', '=', doctorUserId)
      .where('action', 'in', ['care.missedVisits.read', 'care.reminders.read', 'care.reminder.read'])
      .execute();
    expect(listed.map((a) => a.action).sort()).toEqual(['care.missedVisits.read', 'care.reminder.read', 'care.reminders.read']);
    // A family member's pages read through the same service.
    const family = await buildUser(ctx.deps, { role: 'villager', region: tree.villageA });
    expect((await doctor.post(`/api/care/elders/${elderId}/family`, { userId: family.id, consent: true })).statusCode).toBe(204);
    const relative = await login(ctx.app, family.phone, PASSWORD);
    for (const url of [
      '/api/care/elders',
      `/api/care/elders/${elderId}/readings?since=${since}`,
      '/api/care/alarms',
      `/fhir/Patient/${elderId}`,
    ]) {
      const before = await auditCount(family.id);
      expect((await relative.get(url)).statusCode, url).toBe(200);
      expect(await auditCount(family.id), url).toBe(before + 1);
    }
  });

  it('audits a read through FHIR exactly as the REST read of the same data, and shows nothing to a caller who may not see it', async () => {
    const stored = (await fhir('POST', '/fhir/Observation', heartRate(71, iso(), 'hr-audit'))).json();
    const since = encodeURIComponent(iso(-HOUR));
    const lastRead = async () =>
      ctx.deps.db
        .selectFrom('audit_log')
        .select(['actor_user_id', 'actor_role', 'action', 'outcome', 'target_type', 'target_id', 'region_id'])
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
    const pairs: [rest: string, fhir: string, action: string][] = [
      [
        `/api/care/elders/${elderId}/readings?since=${since}`,
        `/fhir/Observation?subject=Patient/${elderId}&date=ge${iso(-HOUR)}`,
        'care.readings.read',
      ],
      ['/api/care/elders', '/fhir/Patient', 'care.elders.read'],
    ];
    for (const [restUrl, fhirUrl, action] of pairs) {
      expect((await doctor.get(restUrl)).statusCode, restUrl).toBe(200);
      const rest = await lastRead();
      expect((await doctor.get(fhirUrl)).statusCode, fhirUrl).toBe(200);
      const viaFhir = await lastRead();
      expect(viaFhir, fhirUrl).toEqual(rest);
      expect(viaFhir).toMatchObject({ actor_user_id: doctorUserId, actor_role: 'doctor', action, outcome: 'ok' });
    }
    // The readings' row names whom they were about, and where.
    await doctor.get(`/fhir/Observation?subject=Patient/${elderId}`);
    expect(await lastRead()).toMatchObject({
      action: 'care.readings.read',
      target_type: 'person',
      target_id: elderId,
      region_id: tree.groupA1.id,
    });

    // Another township's doctor: not known, nothing of the patient or the reading in the answer, and no read recorded.
    const before = await ctx.deps.db.selectFrom('audit_log').select('id').execute();
    for (const url of [`/fhir/Patient/${elderId}`, `/fhir/Observation/${stored.id}`, `/fhir/Observation/${stored.id}/_history/1`]) {
      const refused = await doctorB.get(url);
      expect(refused.statusCode, url).toBe(404);
      expect(refused.json(), url).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'not-found' }] });
      expect(refused.body).not.toContain(elderId);
      expect(refused.body).not.toContain('何奶奶');
      expect(refused.body).not.toContain('71');
    }
    expect(await ctx.deps.db.selectFrom('audit_log').select('id').execute()).toHaveLength(before.length);
  });

  it('finds Observations by subject, code and date as a searchset Bundle in the vital-signs profile (search.html#token, search.html#date, bundle.html#searchset, observation-vitalsigns.html)', async () => {
    const base = ctx.clock.now - 3 * 24 * HOUR;
    for (const [index, bpm] of [61, 62, 63].entries()) {
      const response = await fhir(
        'POST',
        '/fhir/Observation',
        heartRate(bpm, new Date(base + index * 24 * HOUR).toISOString(), `hr-day-${index}`),
      );
      expect(response.statusCode).toBe(201);
    }
    const search = async (query: string, session: Session = doctor) => {
      const response = await session.get(`/fhir/Observation?${query}`);
      expect(response.statusCode, query).toBe(200);
      return response.json();
    };
    const values = (bundle: { entry: { resource: { valueQuantity?: { value: number } } }[] }) =>
      bundle.entry.map((e) => e.resource.valueQuantity?.value).filter((v) => v !== undefined && v < 70);
    const day = (offset: number) => new Date(base + offset * 24 * HOUR).toISOString();
    const hr = `code=${encodeURIComponent(`${LOINC}|8867-4`)}`;
    const all = await search(`subject=Patient/${elderId}&${hr}`);
    expect(all).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
    expect(all.total).toBe(all.entry.length);
    expect(values(all)).toEqual([61, 62, 63]);
    expect(all.link[0]).toMatchObject({ relation: 'self' });
    const first = all.entry[0];
    expect(first.search).toEqual({ mode: 'match' });
    expect(first.fullUrl).toMatch(/\/fhir\/Observation\/.+$/);
    expect(first.resource).toMatchObject({
      resourceType: 'Observation',
      meta: { profile: ['http://hl7.org/fhir/StructureDefinition/heartrate'] },
      status: 'final',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
      code: { coding: [{ system: LOINC, code: '8867-4' }] },
      valueQuantity: { value: 61, unit: '/min', system: UCUM, code: '/min' },
    });
    // Prefixes narrow together: from the second reading's moment, before the third's.
    const window = `date=ge${encodeURIComponent(day(1))}&date=lt${encodeURIComponent(day(2))}`;
    expect(values(await search(`subject=Patient/${elderId}&${hr}&${window}`))).toEqual([62]);
    expect(values(await search(`subject=Patient/${elderId}&${hr}&date=gt${encodeURIComponent(day(1))}`))).toEqual([63]);
    expect(values(await search(`subject=Patient/${elderId}&${hr}&date=le${encodeURIComponent(day(1))}`))).toEqual([61, 62]);
    // A plain date is the whole of that day (in Asia/Shanghai when no zone is given).
    const localDay = new Date(base + 24 * HOUR + 8 * HOUR).toISOString().slice(0, 10);
    const onDay = values(await search(`patient=${elderId}&${hr}&date=${localDay}`));
    expect(onDay).toContain(62);
    expect(onDay).not.toContain(63);
    // Tokens: code alone, system|code, another system's code, codes not stored.
    expect(values(await search(`subject=Patient/${elderId}&code=8867-4,85354-9`))).toEqual([61, 62, 63]);
    expect((await search(`subject=Patient/${elderId}&code=http://snomed.info/sct|8867-4`)).total).toBe(0);
    expect((await search(`subject=Patient/${elderId}&code=29463-7`)).total).toBe(0);
    // Another township's patient matches nothing; bad parameters are an OperationOutcome.
    expect((await search(`subject=Patient/${otherElderId}`)).total).toBe(0);
    for (const query of ['code=8867-4', `subject=Patient/${elderId}&date=ne${localDay}`, `subject=Patient/${elderId}&date=yesterday`]) {
      const bad = await doctor.get(`/fhir/Observation?${query}`);
      expect(bad.statusCode, query).toBe(400);
      expect(bad.json().resourceType).toBe('OperationOutcome');
    }
    const metadata = (await ctx.app.inject({ method: 'GET', url: '/fhir/metadata' })).json();
    expect(metadata).toMatchObject({ resourceType: 'CapabilityStatement', fhirVersion: '4.0.1' });
  });
});

describe('FHIR search values and Observations, as rules', () => {
  it('reads a date search value as the range its precision implies (search.html#date)', () => {
    expect(dateRange('2026-11')).toEqual({ start: Date.parse('2026-11-01T00:00:00+08:00'), end: Date.parse('2026-12-01T00:00:00+08:00') });
    expect(dateRange('2026-12')?.end).toBe(Date.parse('2027-01-01T00:00:00+08:00'));
    expect(dateRange('2026-11-30')).toEqual({
      start: Date.parse('2026-11-30T00:00:00+08:00'),
      end: Date.parse('2026-12-01T00:00:00+08:00'),
    });
    expect(dateRange('2026-11-30T10:00:00Z')).toEqual({
      start: Date.parse('2026-11-30T10:00:00Z'),
      end: Date.parse('2026-11-30T10:00:01Z'),
    });
    expect(dateRange('2026-02-30')).toBeUndefined();
    expect(dateRange('2026-11-30T25:00:00Z')).toBeUndefined();
    expect(dateWindow(['ge2026-11-01', 'lt2026-11-03'])).toEqual({
      since: Date.parse('2026-11-01T00:00:00+08:00'),
      until: Date.parse('2026-11-03T00:00:00+08:00'),
    });
    expect(dateWindow(['gt2026-11-01'])).toEqual({ since: Date.parse('2026-11-02T00:00:00+08:00'), until: undefined });
    expect(dateWindow(['ap2026-11-01'])).toBe('date prefixes ne and ap are not supported');
  });

  it('matches code tokens by system and code (search.html#token)', () => {
    expect(kindsForCodes([`${LOINC}|85354-9`, 'sos'])).toEqual(['bloodPressure', 'sos']);
    expect(kindsForCodes(['|8867-4', 'http://snomed.info/sct|8867-4', '__proto__', 'constructor'])).toEqual([]);
  });

  it('converts glucose posted in mg/dL (LOINC 2339-0) to mmol/L and keeps the identifier as system|value', () => {
    const parsed = parseObservation({
      resourceType: 'Observation',
      identifier: [{ system: 'urn:example:his', value: 'g-1' }],
      status: 'final',
      code: { coding: [{ system: LOINC, code: '2339-0' }] },
      subject: { reference: 'Patient/p-1' },
      effectiveDateTime: '2026-11-30T08:00:00+08:00',
      valueQuantity: { value: 180, system: UCUM, code: 'mg/dL' },
    });
    expect(parsed).toEqual({
      subject: 'p-1',
      reading: { at: '2026-11-30T08:00:00+08:00', device: undefined, key: 'urn:example:his|g-1', kind: 'glucose', value: 10 },
    });
  });
});
