// Readings over MQTT, when MQTT_URL is set. Topic scheme (documented in the README):
//   <prefix>/gateways/<gateway name>/readings   a gateway publishes {key, readings: [...]} (QoS 1)
//   <prefix>/gateways/<gateway name>/results    the server answers {accepted, duplicates, rejected}
//   <prefix>/devices/<serial>/commands          the server publishes {id, kind: 'speak', text, expiresAt} (QoS 1)
//   <prefix>/devices/<serial>/acks              the device answers {key, id, outcome: 'delivered' | 'failed'}
// The key is the gateway's or the device's own key (as in Authorization: Bearer on HTTP); the
// readings are the same as in POST /api/care/readings and go through the same checks, once-only
// storage and alarms.
import { ReadingBatch } from '@cunzhi/contracts/care';
import mqtt from 'mqtt';
import { Value } from 'typebox/value';
import type { Deps } from '../../platform/deps.ts';
import { principalForApiKey } from '../auth/auth.service.ts';
import { acknowledgeCommand, type CommandLink } from './care-commands.service.ts';
import { gatewaySource, ingest } from './care-ingest.service.ts';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export type CareMqtt = CommandLink & { ready: Promise<void>; stop(): Promise<void> };

export function startCareMqtt(
  deps: Deps,
  url: string,
  prefix: string,
  log: (line: Record<string, unknown>, message: string) => void,
): CareMqtt {
  const client = mqtt.connect(url, { clientId: `cunzhi-${process.pid}-${Math.random().toString(16).slice(2, 8)}`, reconnectPeriod: 2000 });
  const topics = [`${prefix}/gateways/+/readings`, `${prefix}/devices/+/acks`];
  const ready = new Promise<void>((resolve, reject) => {
    client.once('connect', () => client.subscribe(topics, { qos: 1 }, (error) => (error ? reject(error) : resolve())));
    client.once('error', reject);
  });
  // Batches are handled one after another, in the order they arrived: a device's readings keep their order.
  let queue: Promise<void> = Promise.resolve();
  client.on('message', (received, payload) => {
    const [, level, name] = received.split('/');
    if (level === 'devices') {
      queue = queue
        .then(() => onAck(payload))
        .catch((error: unknown) => log({ err: error, topic: received }, 'MQTT acknowledgement failed'));
      return;
    }
    const gateway = name ?? '';
    const answer = (result: unknown) => client.publish(`${prefix}/gateways/${gateway}/results`, JSON.stringify(result), { qos: 1 });
    queue = queue
      .then(async () => {
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
        const principal = typeof message.key === 'string' ? await principalForApiKey(deps, message.key, 'gateway') : undefined;
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
      })
      .catch((error: unknown) => log({ err: error, topic: received }, 'MQTT reading batch failed'));
  });
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
  client.on('error', (error) => log({ err: error }, 'MQTT connection error'));
  return {
    ready,
    publish: async (serial, command) => {
      if (!client.connected) return false;
      await client.publishAsync(`${prefix}/devices/${serial}/commands`, JSON.stringify(command), { qos: 1 });
      return true;
    },
    stop: async () => {
      await new Promise<void>((resolve) => client.end(false, {}, () => resolve()));
      await queue;
    },
  };
}
