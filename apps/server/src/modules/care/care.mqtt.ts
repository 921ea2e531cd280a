// Readings over MQTT, when MQTT_URL is set. Topic scheme (documented in the README):
//   <prefix>/gateways/<gateway name>/readings   a gateway publishes {key, readings: [...]} (QoS 1)
//   <prefix>/gateways/<gateway name>/results    the server answers {accepted, duplicates, rejected}
//   <prefix>/devices/<serial>/commands          the server publishes {id, kind: 'speak', text, expiresAt} (QoS 1)
//   <prefix>/devices/<serial>/acks              the device answers {key, id, outcome: 'delivered' | 'failed'}
// The key is the gateway's or the device's own key (as in Authorization: Bearer on HTTP); the
// readings are the same as in POST /api/care/readings and go through the same checks, once-only
// storage and alarms.
//
// The broker may let anyone publish (it should not: README), so nothing here trusts a message
// before its key is checked. A payload larger than the HTTP routes' body limit is refused unread
// ({error: 'too_large'}), as parsing 19 MB of JSON held the event loop for over a second. Messages
// wait per topic, served in turn and bounded (care-mqtt-queue.ts): a topic's flood delays only
// itself, and a batch that does not fit is answered {error: 'busy'}, so its gateway keeps it and
// sends it again; nothing is answered 'accepted' before it is stored. A wrong key is remembered for
// a few seconds, so a flood repeating it costs no database look-up.
import { createHash } from 'node:crypto';
import { ReadingBatch } from '@cunzhi/contracts/care';
import mqtt from 'mqtt';
import { Value } from 'typebox/value';
import type { Deps } from '../../platform/deps.ts';
import { principalForApiKey } from '../auth/auth.service.ts';
import { acknowledgeCommand, type CommandLink } from './care-commands.service.ts';
import { gatewaySource, ingest } from './care-ingest.service.ts';
import { DEFAULT_MQTT_QUEUE_LIMITS, type MqttQueueLimits, TopicQueue } from './care-mqtt-queue.ts';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** How long a refused key is refused without asking the database again. */
const WRONG_KEY_MS = 10_000;
const WRONG_KEYS_KEPT = 1000;
/** Warnings of refused or dropped messages: at most one of each kind this often, with the count since the last. */
const WARN_EVERY_MS = 10_000;

/** Messages refused unread since start: too large, or no room in their topic's line. */
export type MqttRefusals = { tooLarge: number; dropped: number };

export type CareMqtt = CommandLink & { ready: Promise<void>; refusals(): MqttRefusals; stop(): Promise<void> };

export function startCareMqtt(
  deps: Deps,
  url: string,
  prefix: string,
  log: (line: Record<string, unknown>, message: string) => void,
  // A raised body limit raises the bytes that may wait with it, so that a batch that may be sent fits.
  limits: MqttQueueLimits = {
    ...DEFAULT_MQTT_QUEUE_LIMITS,
    totalBytes: Math.max(DEFAULT_MQTT_QUEUE_LIMITS.totalBytes, 4 * deps.config.bodyLimitBytes),
  },
): CareMqtt {
  const client = mqtt.connect(url, { clientId: `cunzhi-${process.pid}-${Math.random().toString(16).slice(2, 8)}`, reconnectPeriod: 2000 });
  const topics = [`${prefix}/gateways/+/readings`, `${prefix}/devices/+/acks`];
  const ready = new Promise<void>((resolve, reject) => {
    client.once('connect', () => client.subscribe(topics, { qos: 1 }, (error) => (error ? reject(error) : resolve())));
    client.once('error', reject);
  });
  const maxBytes = deps.config.bodyLimitBytes;
  const refusals: MqttRefusals = { tooLarge: 0, dropped: 0 };
  const warned = { tooLarge: { at: Number.NEGATIVE_INFINITY, since: 0 }, dropped: { at: Number.NEGATIVE_INFINITY, since: 0 } };
  // The payload is never logged: it is someone else's data, or an attacker's.
  const warn = (kind: keyof MqttRefusals, topic: string, bytes: number) => {
    refusals[kind] += 1;
    const last = warned[kind];
    last.since += 1;
    const now = Date.now();
    if (now - last.at < WARN_EVERY_MS) return;
    const message =
      kind === 'tooLarge' ? 'MQTT message over the body limit refused unread' : 'MQTT message dropped: its topic has too many waiting';
    log({ topic, bytes, maxBytes, refusedSinceLastWarning: last.since, refusedInAll: refusals[kind] }, message);
    last.at = now;
    last.since = 0;
  };
  const wrongKeys = new Map<string, number>();
  const gatewayFor = async (key: string) => {
    const hash = createHash('sha256').update(key).digest('base64url');
    if ((wrongKeys.get(hash) ?? 0) > deps.now()) return undefined;
    const principal = await principalForApiKey(deps, key, 'gateway');
    if (!principal) {
      if (wrongKeys.size >= WRONG_KEYS_KEPT) wrongKeys.clear();
      wrongKeys.set(hash, deps.now() + WRONG_KEY_MS);
    }
    return principal;
  };

  const answerTo = (gateway: string) => (result: unknown) =>
    client.publish(`${prefix}/gateways/${gateway}/results`, JSON.stringify(result), { qos: 1 });

  const onReadings = async (gateway: string, payload: Buffer) => {
    const answer = answerTo(gateway);
    let message: { key?: unknown; readings?: unknown };
    try {
      message = JSON.parse(payload.toString('utf8'));
    } catch {
      answer({ error: 'not_json' });
      return;
    }
    // JSON, but not a batch: null, a number, a string, a list.
    if (!isObject(message)) {
      answer({ error: 'bad_request' });
      return;
    }
    const principal = typeof message.key === 'string' ? await gatewayFor(message.key) : undefined;
    if (!principal) {
      answer({ error: 'not_authenticated' });
      return;
    }
    const batch = { readings: message.readings };
    if (!Value.Check(ReadingBatch, batch)) {
      answer({ error: 'validation_failed' });
      return;
    }
    const result = await ingest(deps, gatewaySource(principal), batch.readings);
    answer({ accepted: result.accepted, duplicates: result.duplicates, rejected: result.rejected });
  };

  const onAck = async (payload: Buffer) => {
    let message: { key?: unknown; id?: unknown; outcome?: unknown };
    try {
      message = JSON.parse(payload.toString('utf8'));
    } catch {
      return;
    }
    if (!isObject(message)) return;
    if (typeof message.key !== 'string' || typeof message.id !== 'string') return;
    // A wrong key or a command not the device's is dropped, as a device cannot be answered here.
    await acknowledgeCommand(deps, message.key, message.id, message.outcome === 'failed' ? 'failed' : 'delivered').catch(() => undefined);
  };

  // One message at a time, each topic in turn: a device's or gateway's messages keep their order.
  type Message = { level: string; name: string; payload: Buffer };
  const queue = new TopicQueue<Message>(limits);
  let draining: Promise<void> | undefined;
  const drain = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const { topic, item } = next;
      await (item.level === 'devices' ? onAck(item.payload) : onReadings(item.name, item.payload)).catch((error: unknown) =>
        log({ err: error, topic }, item.level === 'devices' ? 'MQTT acknowledgement failed' : 'MQTT reading batch failed'),
      );
    }
    draining = undefined;
  };

  client.on('message', (received, payload) => {
    const [, level = '', name = ''] = received.split('/');
    if (payload.length > maxBytes) {
      warn('tooLarge', received, payload.length);
      if (level === 'gateways') answerTo(name)({ error: 'too_large' });
      return;
    }
    for (const dropped of queue.push(received, { level, name, payload }, payload.length)) {
      warn('dropped', dropped.topic, dropped.bytes);
      // Answered, so that the gateway keeps the batch and sends it again; an acknowledgement not
      // taken leaves its command to be sent again.
      if (dropped.item.level === 'gateways') answerTo(dropped.item.name)({ error: 'busy' });
    }
    if (!draining && queue.size > 0) draining = drain();
  });
  client.on('error', (error) => log({ err: error }, 'MQTT connection error'));
  return {
    ready,
    refusals: () => ({ ...refusals }),
    publish: async (serial, command) => {
      if (!client.connected) return false;
      await client.publishAsync(`${prefix}/devices/${serial}/commands`, JSON.stringify(command), { qos: 1 });
      return true;
    },
    stop: async () => {
      await new Promise<void>((resolve) => client.end(false, {}, () => resolve()));
      await draining;
    },
  };
}
