// read config -> open db -> migrate -> demo county on first start -> build app -> listen; graceful stop
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { backgroundJobs } from './jobs.ts';
import { seedDemoCare, startDemoSimulation } from './modules/care/care.demo.ts';
import { startCareMqtt } from './modules/care/care.mqtt.ts';
import { flushLastSeen } from './modules/care/care.service.ts';
import { seedDemoCases } from './modules/cases/cases.demo.ts';
import { seedDemoNotices } from './modules/notices/notices.demo.ts';
import { seedDemoOpen311 } from './modules/open311/open311.demo.ts';
import { isDatabaseEmpty, seedDemoOrg } from './modules/org/org.demo.ts';
import { seedDemoPoints } from './modules/points/points.demo.ts';
import { seedDemoApplications, seedDemoServices } from './modules/services/services.demo.ts';
import { prepare } from './platform/bootstrap.ts';
import { startJobs } from './platform/jobs.ts';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }

  const { database, deps, migrationsApplied } = await prepare(config);
  const app = await buildApp(deps);
  app.log.info({ database: database.dialect, location: database.location, migrationsApplied: migrationsApplied.length }, 'database ready');

  if (config.demoData && (await isDatabaseEmpty(deps.db))) {
    const demo = await seedDemoOrg(deps);
    const cases = await seedDemoCases(deps, demo.regionsByCode);
    await seedDemoOpen311(deps, demo.regionsByCode.get('500242')?.id as string);
    const keeper = await deps.db.selectFrom('users').select('id').where('phone', '=', '13800000009').executeTakeFirstOrThrow();
    await seedDemoPoints(deps, demo.regionsByCode, keeper.id);
    await seedDemoCare(deps, demo.regionsByCode);
    await seedDemoServices(deps, demo.regionsByCode);
    await seedDemoApplications(deps);
    await seedDemoNotices(deps, demo.regionsByCode);
    app.log.info({ households: demo.householdCount, people: demo.peopleCount, cases }, 'demo county loaded');
  }

  const careMqtt = config.mqttUrl
    ? startCareMqtt(deps, config.mqttUrl, config.mqttTopicPrefix, (line, message) => app.log.warn(line, message))
    : undefined;

  const jobs = config.jobsEnabled
    ? startJobs(deps.db, backgroundJobs(deps, careMqtt), deps.now, (job, error) =>
        app.log.error({ job, err: error }, 'background job failed'),
      )
    : undefined;

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
    await flushLastSeen(deps).catch((error: unknown) => app.log.error({ err: error }, 'last-seen times not written'));
    await database.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
}

main().catch((error) => {
  process.stderr.write(`Cunzhi failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
