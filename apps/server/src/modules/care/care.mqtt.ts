// Readings over MQTT, when MQTT_URL is set. Topic scheme (documented in the README):
//   <prefix>/gateways/<gateway name>/readings   a gateway publishes {key, readings: [...]} (QoS 1)
//   <prefix>/gateways/<gateway name>/results    the server answers {accepted, duplicates, rejected}
// The key is the gateway's own key (as in Authorization: Bearer on HTTP); the readings are the
// same as in POST /api/care/readings and go through the same checks, once-only storage and alarms.
import { ReadingBatch } from '@cunzhi/contracts/care';
import mqtt from 'mqtt';
import { Value } from 'typebox/value';
import type { Deps } from '../../platform/deps.ts';
import { principalForApiKey } from '../auth/auth.service.ts';
import { ingest } from './care.service.ts';

export type CareMqtt = { ready: Promise<void>; stop(): Promise<void> };

export function startCareMqtt(
  deps: Deps,
  url: string,
  prefix: string,
  log: (line: Record<string, unknown>, message: string) => void,
): CareMqtt {
  const client = mqtt.connect(url, { clientId: `cunzhi-${process.pid}-${Math.random().toString(16).slice(2, 8)}`, reconnectPeriod: 2000 });
  const topic = `${prefix}/gateways/+/readings`;
  const ready = new Promise<void>((resolve, reject) => {
    client.once('connect', () => client.subscribe(topic, { qos: 1 }, (error) => (error ? reject(error) : resolve())));
    client.once('error', reject);
  });
  // Batches are handled one after another, in the order they arrived: a device's readings keep their order.
  let queue: Promise<void> = Promise.resolve();
  client.on('message', (received, payload) => {
    const gateway = received.split('/')[2] ?? '';
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
        const result = await ingest(deps, principal, batch.readings);
        answer({ accepted: result.accepted, duplicates: result.duplicates, rejected: result.rejected });
      })
      .catch((error: unknown) => log({ err: error, topic: received }, 'MQTT reading batch failed'));
  });
  client.on('error', (error) => log({ err: error }, 'MQTT connection error'));
  return {
    ready,
    stop: async () => {
      await new Promise<void>((resolve) => client.end(false, {}, () => resolve()));
      await queue;
    },
  };
}
