// The cases bench's server, as a process of its own (cases.bench.ts forks this file): the whole app
// with production settings on the database the bench has seeded, listening on 127.0.0.1. The
// seeding (a million cases built in the bench's process) and the statistics' client stay out of
// it, so that the pauses timed are the server's own: in one process the seeding's heap made
// garbage collections of 20-25 ms that fell on the statistics' slowest requests.
//
// Messages from the bench: 'stats' (the event loop's longest wait and the GC pauses since the last
// 'stats'), 'close'.
import { benchDatabaseIn, listenApp, watchPauses } from './load.ts';

/** What the bench asks for (the first argument, as JSON): the seeded data folder, and PostgreSQL's URL if on it. */
export type CasesServerSpec = { dataDir: string; databaseUrl?: string };
export type CasesServerStats = { type: 'stats'; loopMaxMs: number; gc: { pauses: number; maxMs: number } };

const spec = JSON.parse(process.argv[2] as string) as CasesServerSpec;
const { deps, database } = await benchDatabaseIn(spec.dataDir, spec.databaseUrl ? { DATABASE_URL: spec.databaseUrl } : {});
const { app, url } = await listenApp(deps);

const pauses = watchPauses();

process.on('message', (message) => {
  if (message === 'stats') {
    const { loop, gc } = pauses.since();
    const stats: CasesServerStats = { type: 'stats', loopMaxMs: loop.maxMs, gc };
    process.send?.(stats);
  } else if (message === 'close') {
    void app
      .close()
      .then(() => database.close())
      .then(() => process.send?.({ type: 'closed' }, () => process.exit(0)));
  }
});
process.send?.({ type: 'ready', url });
