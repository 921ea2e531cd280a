// `npm run simulate:care`: drives the virtual bracelets and SOS buttons of a gateway against a
// running Cunzhi over HTTP, as the health centre's gateway would. Options (environment):
//   CUNZHI_URL        the server (default http://localhost:3000)
//   GATEWAY_KEY       the gateway's key (default the demo's demo-gateway-key)
//   SIMULATE_SECONDS  seconds between batches (default 10)
//   SIMULATE_ONCE=1   send one batch covering the last hour and stop
import { CareSimulator } from '../modules/care/care-simulator.ts';

const url = (process.env.CUNZHI_URL ?? 'http://localhost:3000').replace(/\/$/, '');
const key = process.env.GATEWAY_KEY ?? 'demo-gateway-key';
const everySeconds = Number(process.env.SIMULATE_SECONDS ?? 10);
const once = process.env.SIMULATE_ONCE === '1';
const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };

async function main(): Promise<void> {
  const listed = await fetch(`${url}/api/care/gateway/devices`, { headers });
  if (!listed.ok) throw new Error(`${url} refused the gateway key (${listed.status}): ${await listed.text()}`);
  const { items } = (await listed.json()) as { items: { serial: string; kind: string }[] };
  const simulator = new CareSimulator(items, Date.now() - (once ? 3_600_000 : everySeconds * 1000));
  process.stdout.write(`simulating ${items.length} devices (${simulator.silent.length} silent) against ${url}\n`);
  for (;;) {
    const readings = simulator.tick(Date.now());
    let accepted = 0;
    const alarms = new Set<string>();
    for (let i = 0; i < readings.length; i += 100) {
      const response = await fetch(`${url}/api/care/readings`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ readings: readings.slice(i, i + 100) }),
      });
      if (!response.ok) throw new Error(`batch refused (${response.status}): ${await response.text()}`);
      const result = (await response.json()) as { accepted: number; alarms: { cause: string }[] };
      accepted += result.accepted;
      for (const alarm of result.alarms) alarms.add(alarm.cause);
    }
    process.stdout.write(
      `${new Date().toISOString()} sent ${readings.length}, accepted ${accepted}${alarms.size ? `, alarms: ${[...alarms].join(', ')}` : ''}\n`,
    );
    if (once) return;
    await new Promise((resolve) => setTimeout(resolve, everySeconds * 1000));
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
