// Readings over MQTT through the local broker (Mosquitto, as in CI): a gateway publishes a batch,
// the server stores it once, raises its alarm and answers on the results topic.
import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dialects, login, useTestApp } from '../../../test/build-test-app.ts';
import { buildPerson, buildTree, buildUser, PASSWORD } from '../../../test/factories.ts';
import { createApiKey } from '../auth/auth.service.ts';
import { type CareMqtt, startCareMqtt } from './care.mqtt.ts';
import { dispatchCommands } from './care-commands.service.ts';
import { TopicQueue } from './care-mqtt-queue.ts';

const BROKER = process.env.MQTT_TEST_URL ?? 'mqtt://127.0.0.1:1883';

describe.each(dialects)('readings over MQTT on %s', (dialect) => {
  let server: CareMqtt;
  let gateway: mqtt.MqttClient;
  let prefix: string;
  let results: unknown[];
  let speakerKey: string;
  let logs: { line: Record<string, unknown>; message: string }[];

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
    logs = [];
    server = startCareMqtt(ctx.deps, BROKER, prefix, (line, message) => logs.push({ line, message }));
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

  it('refuses a payload over the HTTP body limit unread, counts it and logs it without its content', async () => {
    const limit = ctx.deps.config.bodyLimitBytes;
    const parse = vi.spyOn(JSON, 'parse');
    try {
      const huge = `{"key":"wrong","readings":[${'"x",'.repeat(Math.ceil(limit / 4))}"x"]}`;
      await gateway.publishAsync(`${prefix}/gateways/huatian/readings`, huge, { qos: 1 });
      await expect.poll(() => results.length, { timeout: 5000 }).toBe(1);
      expect(results[0]).toEqual({ error: 'too_large' });
      expect(parse.mock.calls.some(([text]) => typeof text === 'string' && text.length > limit)).toBe(false);
    } finally {
      parse.mockRestore();
    }
    expect(server.refusals()).toEqual({ tooLarge: 1, dropped: 0 });
    expect(logs).toHaveLength(1);
    expect(logs[0]?.line).toMatchObject({ topic: `${prefix}/gateways/huatian/readings`, maxBytes: limit });
    expect(JSON.stringify(logs)).not.toContain('"x"');
    // A batch just under the limit is still read.
    const reading = { device: 'MQ-SOS-1', id: 'mq-after-huge', kind: 'sos', at: new Date(ctx.clock.now).toISOString() };
    await publish({ key: 'mqtt-gateway-key', readings: [reading] });
    await expect.poll(() => results.length, { timeout: 5000 }).toBe(2);
    expect(results[1]).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
  });

  it("one topic's flood of wrong keys does not hold back a real gateway's SOS, and is bounded", async () => {
    await server.stop();
    const perTopic = 8;
    server = startCareMqtt(ctx.deps, BROKER, prefix, (line, message) => logs.push({ line, message }), {
      perTopic,
      total: 100,
      totalBytes: 1_048_576,
    });
    await server.ready;
    const intruder = await mqtt.connectAsync(BROKER);
    const intruderAnswers: { error?: string }[] = [];
    await intruder.subscribeAsync(`${prefix}/gateways/intruder/results`, { qos: 1 });
    intruder.on('message', (_topic, payload) => intruderAnswers.push(JSON.parse(payload.toString())));
    const flood = 800;
    const sent = Array.from({ length: flood }, (_, i) =>
      intruder.publishAsync(
        `${prefix}/gateways/intruder/readings`,
        JSON.stringify({
          key: `wrong-${i % 3}`,
          readings: [{ device: 'MQ-SOS-1', kind: 'sos', at: new Date(ctx.clock.now).toISOString() }],
        }),
        { qos: 1 },
      ),
    );
    await Promise.all(sent);
    const reading = { device: 'MQ-SOS-1', id: 'mq-in-flood', kind: 'sos', at: new Date(ctx.clock.now).toISOString() };
    const started = performance.now();
    await publish({ key: 'mqtt-gateway-key', readings: [reading] });
    await expect.poll(() => results.length, { timeout: 5000, interval: 5 }).toBe(1);
    const waited = performance.now() - started;
    const handledBefore = intruderAnswers.filter((answer) => answer.error === 'not_authenticated').length;
    expect(results[0]).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    // Every flood message is answered: read and refused, or dropped as busy; never more than its line holds waiting.
    await expect.poll(() => intruderAnswers.length, { timeout: 10_000 }).toBe(flood);
    const busy = intruderAnswers.filter((answer) => answer.error === 'busy').length;
    expect(busy).toBe(server.refusals().dropped);
    expect(busy + intruderAnswers.filter((answer) => answer.error === 'not_authenticated').length).toBe(flood);
    // The flood outran its handling and was cut at its line's limit, instead of queueing ahead of the SOS.
    expect(busy).toBeGreaterThan(0);
    expect(handledBefore).toBeLessThan(flood / 2);
    expect(waited).toBeLessThan(2000);
    expect(logs.some((entry) => entry.message.includes('dropped'))).toBe(busy > 0);
    const alarms = await ctx.deps.db.selectFrom('care_alarms').select('cause').execute();
    expect(alarms).toEqual([{ cause: 'sos' }]);
    await intruder.endAsync();
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

describe('the MQTT waiting lines', () => {
  it('serve topics in turn, each in its own order', () => {
    const queue = new TopicQueue<string>({ perTopic: 10, total: 100, totalBytes: 1000 });
    for (const item of ['a1', 'a2', 'a3']) queue.push('a', item, 1);
    queue.push('b', 'b1', 1);
    queue.push('c', 'c1', 1);
    const order = [];
    for (let next = queue.shift(); next; next = queue.shift()) order.push(next.item);
    expect(order).toEqual(['a1', 'b1', 'c1', 'a2', 'a3']);
    expect(queue.size).toBe(0);
  });

  it("refuse a topic's message beyond its own limit, and leave the others alone", () => {
    const queue = new TopicQueue<string>({ perTopic: 2, total: 100, totalBytes: 1000 });
    expect(queue.push('flood', 'f1', 1)).toEqual([]);
    expect(queue.push('flood', 'f2', 1)).toEqual([]);
    expect(queue.push('flood', 'f3', 1)).toEqual([{ topic: 'flood', item: 'f3', bytes: 1 }]);
    expect(queue.push('gateway', 'sos', 1)).toEqual([]);
    expect(queue.size).toBe(3);
  });

  it('beyond the total, drop the newest of the longest line, not the newcomer from a quiet topic', () => {
    const queue = new TopicQueue<string>({ perTopic: 10, total: 4, totalBytes: 1000 });
    for (const item of ['f1', 'f2', 'f3']) queue.push('flood', item, 1);
    queue.push('other', 'o1', 1);
    expect(queue.push('gateway', 'sos', 1).map((dropped) => dropped.item)).toEqual(['f3']);
    // Bytes count too: a large newcomer pushes out the flood's newest until the rest fit.
    const bytes = new TopicQueue<string>({ perTopic: 10, total: 100, totalBytes: 100 });
    for (const item of ['f1', 'f2', 'f3']) bytes.push('flood', item, 30);
    expect(bytes.push('gateway', 'sos', 40).map((dropped) => dropped.item)).toEqual(['f3']);
    const order = [];
    for (let next = bytes.shift(); next; next = bytes.shift()) order.push(next.item);
    expect(order).toEqual(['f1', 'sos', 'f2']);
  });
});
