// Keeps the screens' sections fresh and tells the screens when one moved, on every node alike.
// A section is computed once per region and kept (as the JSON sent) until a write that can move it
// lands in or above or below that region. Writes are learnt from the audit log, which every write
// of every module already records in its own transaction, read every POLL_MS by its primary key:
// this works the same on SQLite and on PostgreSQL with several nodes, each node following the log
// for its own screens. A storm of writes means one recompute per section and screen region per
// flush (FLUSH_GAP_MS), not one per write: changes are gathered, the cached entry is dropped at
// once, and one `screen.changed` event per (region, section) goes out on the event bus.
import { SCREEN_CHANGED_EVENT, type ScreenSection } from '@cunzhi/contracts/dashboard';
import type { Placement } from '../../platform/access.ts';
import type { Actor } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { processCache } from '../../platform/process-cache.ts';
import { recentWrites } from '../audit/audit-feed.service.ts';
import type { requireRegion } from '../org/regions.service.ts';
import { findRegions } from '../org/regions.service.ts';
import { computeSection } from './dashboard-sections.service.ts';
import { SCREEN_SECTIONS_ALL, sectionsMovedBy } from './screen-changes.ts';

type RegionRecord = Awaited<ReturnType<typeof requireRegion>>;

export const POLL_MS = 400;
/** Writes committed out of id order (PostgreSQL, several nodes) are still seen within this window. */
const LOOKBACK_MS = 5_000;
const FEED_LIMIT = 2_000;
const FLUSH_GAP_MS = 800;
const MAX_ENTRIES = 3_000;

const CACHE_NAME = 'dashboard.live';

type Watched = { region: RegionRecord; sections: Map<ScreenSection, string> };
type Live = {
  /** Per screen region, the sections kept as JSON; most recently read last. */
  regions: Map<string, Watched>;
  entries: number;
  /** Bumped when a section is dropped, so that a computation that raced a write is not kept. */
  generations: Map<string, number>;
  pending: Map<string, { placement: Placement; sections: Set<ScreenSection> }>;
  /** The audit rows already acted on, by id, with their time: only rows still inside the read window. */
  seen: Map<string, number>;
  polling: NodeJS.Timeout | undefined;
  flushing: NodeJS.Timeout | undefined;
  lastFlushAt: number;
  /** The poll under way, and the one that follows it for callers who came while it ran. */
  running: Promise<void> | undefined;
  queued: Promise<void> | undefined;
  stats: { hits: number; misses: number; events: number; polls: number };
};

const liveOf = (deps: Deps) =>
  processCache<Live>(deps, CACHE_NAME, () => ({
    regions: new Map(),
    entries: 0,
    generations: new Map(),
    pending: new Map(),
    seen: new Map(),
    polling: undefined,
    flushing: undefined,
    lastFlushAt: 0,
    running: undefined,
    queued: undefined,
    stats: { hits: 0, misses: 0, events: 0, polls: 0 },
  }));

const keyOf = (regionId: string, section: ScreenSection) => `${regionId}|${section}`;

/** The section's JSON, from the cache while nothing it shows has changed. */
export async function sectionJson(deps: Deps, region: RegionRecord, section: ScreenSection, actor?: Actor): Promise<string> {
  const live = liveOf(deps);
  startFollowing(deps);
  const watched = live.regions.get(region.id);
  const kept = watched?.sections.get(section);
  if (watched && kept !== undefined) {
    live.stats.hits++;
    live.regions.delete(region.id);
    live.regions.set(region.id, watched);
    return kept;
  }
  live.stats.misses++;
  const key = keyOf(region.id, section);
  const generation = live.generations.get(key) ?? 0;
  const json = JSON.stringify(await computeSection(deps, region, section, actor));
  if ((live.generations.get(key) ?? 0) === generation) keep(live, region, section, json);
  return json;
}

function keep(live: Live, region: RegionRecord, section: ScreenSection, json: string) {
  const watched = live.regions.get(region.id) ?? { region, sections: new Map() };
  if (!watched.sections.has(section)) live.entries++;
  watched.sections.set(section, json);
  live.regions.delete(region.id);
  live.regions.set(region.id, watched);
  while (live.entries > MAX_ENTRIES) {
    const [oldestId, oldest] = live.regions.entries().next().value as [string, Watched];
    live.entries -= oldest.sections.size;
    live.regions.delete(oldestId);
  }
}

function drop(live: Live, watched: Watched, section: ScreenSection) {
  const key = keyOf(watched.region.id, section);
  live.generations.set(key, (live.generations.get(key) ?? 0) + 1);
  if (watched.sections.delete(section)) live.entries--;
  if (watched.sections.size === 0) live.regions.delete(watched.region.id);
}

/** One place holds the other (or they are the same): a write at either moves the other's figures. */
function related(change: Placement, region: RegionRecord): boolean {
  const under = (p: Placement, id: string) => p.regionId === id || p.villageId === id || p.townshipId === id || p.countyId === id;
  return under(change, region.id) || under(region.placement, change.regionId);
}

/**
 * Reads the new writes of the audit log and drops what they move; the events follow in a flush.
 * Resolves once a poll that started after the call has finished: every write committed before the
 * call has been acted on. A call while a poll runs waits for it and for one more (shared by all
 * who came meanwhile), never returns early: the running poll may have read before their write.
 */
export function followChanges(deps: Deps): Promise<void> {
  const live = liveOf(deps);
  if (live.queued) return live.queued;
  if (live.running) {
    const queued = live.running
      .catch(() => {})
      .then(() => {
        live.queued = undefined;
        return pollOnce(deps, live);
      });
    live.queued = queued;
    return queued;
  }
  return pollOnce(deps, live);
}

function pollOnce(deps: Deps, live: Live): Promise<void> {
  const running = readChanges(deps, live).finally(() => {
    if (live.running === running) live.running = undefined;
  });
  live.running = running;
  return running;
}

async function readChanges(deps: Deps, live: Live): Promise<void> {
  live.stats.polls++;
  const now = deps.now();
  const since = now - LOOKBACK_MS;
  // The feed returns only rows written at or after `since`: a row older than that is never read
  // again, so it need not be remembered (whatever its id says: an id made after the node's clock
  // stepped back sorts ahead of its time, and pruning by id would keep such rows for as long).
  for (const [id, at] of live.seen) if (at < since) live.seen.delete(id);
  if (live.regions.size === 0 && live.generations.size === 0) return;
  const rows = await recentWrites(deps, since, FEED_LIMIT);
  const changes = new Map<string, { regionId: string | null; sections: Set<ScreenSection> }>();
  for (const row of rows) {
    if (live.seen.has(row.id)) continue;
    live.seen.set(row.id, row.at);
    const sections = sectionsMovedBy(row.action);
    if (sections.length === 0) continue;
    const change = changes.get(row.regionId ?? '') ?? { regionId: row.regionId, sections: new Set() };
    for (const s of sections) change.sections.add(s);
    changes.set(row.regionId ?? '', change);
  }
  // More writes than one read holds: everything may have moved.
  if (rows.length === FEED_LIMIT) changes.set('', { regionId: null, sections: new Set(SCREEN_SECTIONS_ALL) });
  if (changes.size === 0) return;
  const places = await findRegions(
    deps,
    [...changes.values()].map((c) => c.regionId).filter((id): id is string => id !== null),
  );
  for (const change of changes.values()) {
    const place = change.regionId === null ? undefined : places.get(change.regionId);
    for (const watched of [...live.regions.values()]) {
      if (place && !related(place.placement, watched.region)) continue;
      const pending = live.pending.get(watched.region.id) ?? { placement: watched.region.placement, sections: new Set() };
      for (const section of change.sections) {
        drop(live, watched, section);
        pending.sections.add(section);
      }
      live.pending.set(watched.region.id, pending);
    }
  }
  if (live.pending.size > 0) scheduleFlush(deps, live);
}

// The flush gap and the poll are real time (timers), not the app's clock: a test's clock may jump.
function scheduleFlush(deps: Deps, live: Live) {
  if (live.flushing) return;
  const wait = Math.max(0, live.lastFlushAt + FLUSH_GAP_MS - Date.now());
  live.flushing = setTimeout(() => flush(deps, live), wait);
  live.flushing.unref();
}

/** Tells the screens (and the desks) which sections moved: one event per region and section. */
export function flushChanges(deps: Deps): number {
  return flush(deps, liveOf(deps));
}

function flush(deps: Deps, live: Live): number {
  clearTimeout(live.flushing);
  live.flushing = undefined;
  live.lastFlushAt = Date.now();
  let sent = 0;
  for (const [regionId, { placement, sections }] of live.pending) {
    for (const section of sections) {
      deps.events.publish({ type: SCREEN_CHANGED_EVENT, permission: 'screen.read', placement, data: { regionId, section } });
      sent++;
    }
  }
  live.pending.clear();
  // Dropped sections' generations are needed only while a computation may race them.
  if (live.generations.size > MAX_ENTRIES * 2) live.generations.clear();
  live.stats.events += sent;
  return sent;
}

function startFollowing(deps: Deps) {
  const live = liveOf(deps);
  if (live.polling) return;
  const polling = setInterval(() => {
    // The deps' per-process state was replaced (a test's fresh database): this timer's is gone.
    if (deps.caches?.get(CACHE_NAME) !== live) {
      clearInterval(polling);
      clearTimeout(live.flushing);
      if (live.polling === polling) live.polling = undefined;
      return;
    }
    void followChanges(deps).catch(() => {});
  }, POLL_MS);
  live.polling = polling;
  live.polling.unref();
}

/** Stops following the log (the app is closing). */
export function stopFollowing(deps: Deps): void {
  const live = liveOf(deps);
  clearInterval(live.polling);
  clearTimeout(live.flushing);
  live.polling = undefined;
  live.flushing = undefined;
}

/** What the cache holds and has done, for tests, the benchmark and health pages. */
export function liveStats(deps: Deps) {
  const live = liveOf(deps);
  return {
    ...live.stats,
    regions: live.regions.size,
    entries: live.entries,
    pending: live.pending.size,
    seen: live.seen.size,
    generations: live.generations.size,
  };
}
