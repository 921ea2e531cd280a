// Which tables this process has changed, for caches of what was read from them (platform/read-cache.ts).
// Only the embedded SQLite database has one: the server writes it through one connection, so every
// change it makes passes here, and a change by anything else shows in SQLite's data_version. On
// PostgreSQL other nodes write too, and nothing is tracked.

/** How a statement changes the database, read once from its text when it is prepared. */
export type StatementWrites = { kind: 'none' } | { kind: 'table'; table: string } | { kind: 'everything' };

const INSERT_OR_UPDATE = /^\s*(?:insert(?:\s+or\s+\w+)?\s+into|replace\s+into|update(?:\s+or\s+\w+)?)\s+(?:"([^"]+)"|([A-Za-z_]\w*))/i;

/**
 * Inserts and updates name their table. A delete may cascade to other tables through foreign
 * keys, and anything else that writes (a schema change, a statement starting with `with`) is not
 * read closely: those count as changing everything.
 */
export function writesOf(sql: string, readonly: boolean): StatementWrites {
  if (readonly) return { kind: 'none' };
  const match = INSERT_OR_UPDATE.exec(sql);
  const table = match?.[1] ?? match?.[2];
  return table ? { kind: 'table', table } : { kind: 'everything' };
}

export class TableChanges {
  #clock = 0;
  #everything = 0;
  #foreign: number | undefined;
  readonly #generations = new Map<string, number>();
  readonly #pending = new Set<string>();
  #pendingEverything = false;

  /**
   * `foreignVersion` moves when another connection (another process on the same file, an
   * administrator's sqlite3 shell) has committed: SQLite's data_version on the writer connection.
   * Such a change is not read closely either, and counts as changing everything.
   */
  constructor(private readonly foreignVersion?: () => number) {}

  /** A statement ran; what it changed counts once its transaction commits (see `settled`). */
  noted(writes: StatementWrites): void {
    if (writes.kind === 'table') this.#pending.add(writes.table);
    else if (writes.kind === 'everything') this.#pendingEverything = true;
  }

  /**
   * The connection is outside any transaction again: what was noted has committed (or rolled
   * back, which counts as a change too; a cache then only reads once more than it needed to).
   */
  settled(): void {
    if (this.#pending.size === 0 && !this.#pendingEverything) return;
    const now = ++this.#clock;
    for (const table of this.#pending) this.#generations.set(table, now);
    if (this.#pendingEverything) this.#everything = now;
    this.#pending.clear();
    this.#pendingEverything = false;
  }

  /** Moves whenever one of these tables changes; equal stamps mean nothing they hold has changed. */
  stamp(tables: readonly string[]): number {
    const foreign = this.foreignVersion?.();
    if (foreign !== this.#foreign) {
      if (this.#foreign !== undefined) this.#everything = ++this.#clock;
      this.#foreign = foreign;
    }
    let stamp = this.#everything;
    for (const table of tables) stamp = Math.max(stamp, this.#generations.get(table) ?? 0);
    return stamp;
  }
}
