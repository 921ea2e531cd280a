// BENCH_SLOW_SQL_MS=<ms>: every SQLite call on the server's thread that holds it longer than that is
// written to stderr with its time and statement, and the calls' count and time are summed by
// statement for the 'stats' answer. better-sqlite3 runs each statement on the event loop, so a
// slow one delays everything behind it (an SOS among them): this says which.
import BetterSqlite3 from 'better-sqlite3';

type Method = (this: { source: string }, ...args: unknown[]) => unknown;

/** Wraps the driver's statement and exec methods once; returns the slow calls seen so far by statement, and resets them. */
export function watchSlowSql(thresholdMs: number): () => { sql: string; calls: number; totalMs: number; maxMs: number }[] {
  const slow = new Map<string, { calls: number; totalMs: number; maxMs: number }>();
  const note = (sql: string, ms: number) => {
    if (ms < thresholdMs) return;
    const key = sql.slice(0, 100);
    const entry = slow.get(key) ?? { calls: 0, totalMs: 0, maxMs: 0 };
    entry.calls++;
    entry.totalMs += ms;
    entry.maxMs = Math.max(entry.maxMs, ms);
    slow.set(key, entry);
  };
  const timed = (original: Method, sqlOf: (self: { source: string }, args: unknown[]) => string): Method =>
    function (this: { source: string }, ...args: unknown[]) {
      const started = performance.now();
      try {
        return original.apply(this, args);
      } finally {
        note(sqlOf(this, args), performance.now() - started);
      }
    };
  const database = BetterSqlite3.prototype as unknown as Record<string, Method>;
  // Statements share one prototype, reached through the first statement prepared.
  const prepare = database.prepare as Method;
  let wrapped = false;
  database.prepare = function (this: { source: string }, ...args: unknown[]) {
    const statement = prepare.apply(this, args) as object;
    if (!wrapped) {
      wrapped = true;
      const methods = Object.getPrototypeOf(statement) as Record<string, Method>;
      for (const name of ['run', 'all', 'get']) methods[name] = timed(methods[name] as Method, (self) => self.source);
    }
    return statement;
  };
  database.exec = timed(database.exec as Method, (_self, args) => String(args[0]));
  return () => {
    const list = [...slow].map(([sql, entry]) => ({ sql, ...entry })).sort((a, b) => b.totalMs - a.totalMs);
    slow.clear();
    return list;
  };
}
