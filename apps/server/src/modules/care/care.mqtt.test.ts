// Readings over MQTT through the local broker (Mosquitto, as in CI): a gateway publishes a batch,
// the server stores it once, raises its alarm and answers on the results topic.
import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialects, login, useTestApp } from '../../../test/build-test-app.ts';
import { buildPerson, buildTree, buildUser, PASSWORD } from '../../../test/factories.ts';
import { createApiKey } from '../auth/auth.service.ts';
import { type CareMqtt, startCareMqtt } from './care.mqtt.ts';
import { dispatchCommands } from './care-commands.service.ts';

const BROKER = process.env.MQTT_TEST_URL ?? 'mqtt://127.0.0.1:1883';

describe.each(dialects)('readings over MQTT on %s', (dialect) => {
  let server: CareMqtt;
  let gateway: mqtt.MqttClient;
  let prefix: string;
  let results: unknown[];
  let speakerKey: string;

  // Each test runs on its own copy of the seeded database, with a topic prefix of its own: none leans on what another left.
  const ctx = useTestApp(dialect, async () => {
    const tree = await buildTree(ctx.deps);
    const doctor = await login(ctx.app, (await buildUser(ctx.deps, { role: 'doctor', region: tree.townshipA })).phone, PASSWORD);
    const account = await buildUser(ctx.deps, { role: 'doctor', region: tree.townshipA });
    await createApiKey(ctx.deps, { name: 'mqtt gateway', kind: 'gateway', key: 'mqtt-gateway-key', userId: account.id });
    const elder = (await buildPerson(ctx.deps, { region: tree.groupA1 })).id;
    await doctor.post('/api/care/elders', { personId: elder, livingSituation: '独居', conditions: [], contacts: [] });
    await doctor.post(`/api/care/elders/${elder}/devices`, { serial: 'MQ-SOS-1', kind: 'sosButton' });
    speakerKey = (await doctor.post(`/api/care/elders/${elder}/devices`, { serial: 'MQ-SP-1', kind: 'speaker' })).json().key;
    await doctor.post('/api/care/reminders', { text: '明天降温，注意保暖', elderPersonIds: [elder] });
  });
  beforeEach(async () => {
    // The app lives for the whole file; its per-process caches must not outlive a test's database.
    ctx.deps.caches?.clear();
    prefix = `cunzhi-test-${randomBytes(4).toString('hex')}`;
    results = [];
    server = startCareMqtt(ctx.deps, BROKER, prefix, () => {});
    await server.ready;
    gateway = await mqtt.connectAsync(BROKER);
    await gateway.subscribeAsync(`${prefix}/gateways/huatian/results`, { qos: 1 });
    gateway.on('message', (_topic, payload) => results.push(JSON.parse(payload.toString())));
  });
  afterEach(async () => {
    await gateway?.endAsync();
    await server?.stop();
  });

  const publish = (message: unknown) => gateway.publishAsync(`${prefix}/gateways/huatian/readings`, JSON.stringify(message), { qos: 1 });

  it('stores a published SOS once, raises its alarm, and answers on the results topic', async () => {
    const reading = { device: 'MQ-SOS-1', id: 'mq-1', kind: 'sos', at: new Date(ctx.clock.now).toISOString() };
    await publish({ key: 'mqtt-gateway-key', readings: [reading] });
    await expect.poll(() => results.length, { timeout: 5000 }).toBe(1);
    expect(results[0]).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    await publish({ key: 'mqtt-gateway-key', readings: [reading] });
    await expect.poll(() => results.length, { timeout: 5000 }).toBe(2);
    expect(results[1]).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
    const alarms = await ctx.deps.db.selectFrom('care_alarms').select(['cause', 'repeats']).execute();
    expect(alarms).toEqual([{ cause: 'sos', repeats: 1 }]);
  });

  it('refuses a wrong key and a malformed batch, storing nothing', async () => {
    const before = results.length;
    await publish({ key: 'wrong', readings: [{ device: 'MQ-SOS-1', kind: 'sos', at: new Date(ctx.clock.now).toISOString() }] });
    await publish({ key: 'mqtt-gateway-key', readings: [{ device: 'MQ-SOS-1', kind: 'explode' }] });
    await gateway.publishAsync(`${prefix}/gateways/huatian/readings`, 'not json', { qos: 1 });
    await expect.poll(() => results.length, { timeout: 5000 }).toBe(before + 3);
    expect(results.slice(before)).toEqual([{ error: 'not_authenticated' }, { error: 'validation_failed' }, { error: 'not_json' }]);
    const stored = await ctx.deps.db.selectFrom('care_readings').select('reading_key').execute();
    expect(stored).toHaveLength(0);
  });

  it('answers JSON that is not a batch (null, a number, a list) with bad_request, and keeps serving', async () => {
    const before = results.length;
    for (const payload of ['null', '5', '[]']) await gateway.publishAsync(`${prefix}/gateways/huatian/readings`, payload, { qos: 1 });
    await gateway.publishAsync(`${prefix}/devices/MQ-SP-1/acks`, 'null', { qos: 1 });
    await expect.poll(() => results.length, { timeout: 5000 }).toBe(before + 3);
    expect(results.slice(before)).toEqual([{ error: 'bad_request' }, { error: 'bad_request' }, { error: 'bad_request' }]);
    const reading = { device: 'MQ-SOS-1', id: 'mq-after-null', kind: 'sos', at: new Date(ctx.clock.now).toISOString() };
    await publish({ key: 'mqtt-gateway-key', readings: [reading] });
    await expect.poll(() => results.length, { timeout: 5000 }).toBe(before + 4);
    expect(results[before + 3]).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
  });

  it('publishes a reminder to the speaker, and its acknowledgement marks it delivered', async () => {
    const speaker = await mqtt.connectAsync(BROKER);
    const received: { id: string; text: string }[] = [];
    await speaker.subscribeAsync(`${prefix}/devices/MQ-SP-1/commands`, { qos: 1 });
    speaker.on('message', (_topic, payload) => received.push(JSON.parse(payload.toString())));
    expect(await dispatchCommands(ctx.deps, server)).toBe(1);
    await expect.poll(() => received.length, { timeout: 5000 }).toBe(1);
    expect(received[0]?.text).toBe('明天降温，注意保暖');
    const state = () => ctx.deps.db.selectFrom('care_commands').select('state').executeTakeFirstOrThrow();
    expect((await state()).state).toBe('sent');
    // Sent a moment ago and not yet acknowledged: not published again.
    expect(await dispatchCommands(ctx.deps, server)).toBe(0);
    await speaker.publishAsync(`${prefix}/devices/MQ-SP-1/acks`, JSON.stringify({ key: 'wrong', id: received[0]?.id }), { qos: 1 });
    await speaker.publishAsync(`${prefix}/devices/MQ-SP-1/acks`, JSON.stringify({ key: speakerKey, id: received[0]?.id }), { qos: 1 });
    await expect.poll(async () => (await state()).state, { timeout: 5000 }).toBe('delivered');
    await speaker.endAsync();
  });
});
