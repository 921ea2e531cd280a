// read config -> open db -> migrate -> refuse demo leftovers in production / demo county on first start -> build app -> listen; graceful stop
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { findDemoLeftovers, isDemoIncomplete, loadDemoCounty } from './demo-county.ts';
import { backgroundJobs, jobWakers } from './jobs.ts';
import { startDemoSimulation } from './modules/care/care.demo.ts';
import { startCareMqtt } from './modules/care/care.mqtt.ts';
import { flushNotedTimes } from './modules/care/care-device-cache.ts';
import { isDatabaseEmpty } from './modules/org/org.demo.ts';
import { keepDataPrivate, prepare } from './platform/bootstrap.ts';
import { startJobs, wakeOnEvents } from './platform/jobs.ts';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
    keepDataPrivate(config);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }

  const { database, deps, migrationsApplied } = await prepare(config);

  // A production server with the demo's published accounts or keys in its database would let
  // anyone who read the README in; it does not start until they are gone.
  if (config.nodeEnv === 'production') {
    const leftovers = await findDemoLeftovers(deps);
    if (leftovers.length > 0) {
      await database.close();
      process.stderr.write(
        `Cunzhi will not start in production: this database holds the demo county's published accounts or keys:\n${leftovers
          .map((line) => `  - ${line}`)
          .join(
            '\n',
          )}\nStart on a new, empty database (DATA_DIR or DATABASE_URL) and set it up with \`npm run setup:county\` (see README, Production).\n`,
      );
      process.exit(2);
    }
  }

  const app = await buildApp(deps);
  app.log.info({ database: database.dialect, location: database.location, migrationsApplied: migrationsApplied.length }, 'database ready');

  if (config.demoData) {
    const demo = await loadDemoCounty(deps, undefined, (step) => app.log.info({ step }, 'demo county: step written, not yet committed'));
    if (demo) app.log.info(demo, 'demo county loaded');
    else if (await isDemoIncomplete(deps)) {
      app.log.error(
        'this database holds a demo county left half-loaded by an earlier version: stop, delete DATA_DIR (or the database) and start again',
      );
    }
  } else if (await isDatabaseEmpty(deps.db)) {
    app.log.warn('no county yet: create it and its first administrator with `npm run setup:county` (see README, Production)');
  }

  const careMqtt = config.mqttUrl
    ? startCareMqtt(deps, config.mqttUrl, config.mqttTopicPrefix, (line, message) => app.log.warn(line, message))
    : undefined;

  const jobs = config.jobsEnabled
    ? startJobs(deps.db, backgroundJobs(deps, careMqtt), deps.now, (job, error) =>
        app.log.error({ job, err: error }, 'background job failed'),
      )
    : undefined;
  // Work announced on the event bus (a notice sent now) is done at once, not at the job's next tick.
  if (jobs) wakeOnEvents(deps.events, jobs, jobWakers);

  // The demo's bracelets keep sending while the server runs, so its charts and alarms are alive.
  const simulation = config.simulateCare ? await startDemoSimulation(deps, (line, message) => app.log.warn(line, message)) : undefined;

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'stopping: finishing requests in flight');
    const force = setTimeout(() => {
      app.log.error('requests did not finish in 10 s; exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    // Keep-alive sockets whose request finished after close began would hold the server open.
    const sweep = setInterval(() => app.server.closeIdleConnections(), 100);
    sweep.unref();
    simulation?.stop();
    await jobs?.stop();
    await careMqtt?.stop();
    await app.close();
    await flushNotedTimes(deps).catch((error: unknown) => app.log.error({ err: error }, 'last-seen times and activities not written'));
    await database.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  const address = await app.listen({ port: config.port, host: config.host });
  if (config.demoData) {
    const warning =
      `DEMO MODE 演示模式: listening on ${address} (host ${config.host}) with demo accounts whose password is published in the README. ` +
      'Anyone who can reach this port can log in. Do not put real data here; for a real county run with NODE_ENV=production (see README, Production).';
    app.log.warn({ host: config.host, port: config.port }, warning);
    // Also as plain text on the terminal, where a JSON log line is easily missed.
    const rule = '!'.repeat(72);
    process.stderr.write(`\n${rule}\n${warning.replace('. ', '.\n')}\n${rule}\n\n`);
  }
}

main().catch((error) => {
  process.stderr.write(`Cunzhi failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
