// Persistence: a change becomes a finding only when it is seen in `snapshots` consecutive snapshots
// at an overlapping place and covers at least `minAreaFraction` of the watch area. A truck or a
// crowd is there in one snapshot and gone in the next; a shed stays. Pure functions over plain,
// JSON-serialisable state, so the caller can keep the state per camera in its database.
import type { ChangedRegion, DetectionResult, NormalisedBox } from './change-detector.ts';

export type PersistenceOptions = {
  /** Consecutive snapshots a change must be seen in (N). */
  snapshots: number;
  /** Smallest change, as a fraction of the watch area, that can become a finding. */
  minAreaFraction: number;
  /** Two boxes are the same place when their intersection is at least this fraction of the smaller one. */
  overlap: number;
};

/** Chosen on the tuning set of scenes.ts only. */
export const DEFAULT_PERSISTENCE: Readonly<PersistenceOptions> = Object.freeze({ snapshots: 3, minAreaFraction: 0.006, overlap: 0.3 });

const MAX_TRACKED = 32;

export type TrackedChange = {
  box: NormalisedBox;
  areaFraction: number;
  score: number;
  /** How many consecutive snapshots it has been seen in. */
  streak: number;
  /** The snapshots of the current streak, oldest first (at most `snapshots` of them). */
  snapshotIds: string[];
  /** A finding has been made of it; it is not made again while the change stays. */
  reported: boolean;
};

export type TrackerState = { version: 1; baselineId: string; changes: TrackedChange[] };

/** What the tracker hands on: the before (baseline) and after pictures and where they differ. */
export type Finding = {
  baselineId: string;
  /** The latest snapshot of the streak: the "after" picture. */
  afterSnapshotId: string;
  /** Every snapshot of the streak, oldest first. */
  snapshotIds: string[];
  box: NormalisedBox;
  areaFraction: number;
  score: number;
};

/** A fresh tracker for a baseline; accepting a new baseline means starting a new tracker. */
export function startTracker(baselineId: string): TrackerState {
  return { version: 1, baselineId, changes: [] };
}

export function overlapOfSmaller(a: NormalisedBox, b: NormalisedBox): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  const smaller = Math.min(a.width * a.height, b.width * b.height);
  return smaller > 0 ? (w * h) / smaller : 0;
}

/** Adds one snapshot's detection; returns the new state and any findings it completes. */
export function observe(
  state: TrackerState,
  snapshotId: string,
  result: Pick<DetectionResult, 'regions'>,
  overrides: Partial<PersistenceOptions> = {},
): { state: TrackerState; findings: Finding[] } {
  const o = { ...DEFAULT_PERSISTENCE, ...overrides };
  const candidates = result.regions.filter((r) => r.areaFraction >= o.minAreaFraction);
  const taken = new Set<ChangedRegion>();
  const changes: TrackedChange[] = [];
  const findings: Finding[] = [];
  // Longest streaks claim their region first, so an old change is not broken by a new neighbour.
  for (const change of [...state.changes].sort((a, b) => b.streak - a.streak)) {
    let best: ChangedRegion | undefined;
    let bestOverlap = o.overlap;
    for (const region of candidates) {
      if (taken.has(region)) continue;
      const overlap = overlapOfSmaller(change.box, region.box);
      if (overlap >= bestOverlap) {
        best = region;
        bestOverlap = overlap;
      }
    }
    if (!best) continue; // not seen this time: the streak is broken
    taken.add(best);
    changes.push({
      box: best.box,
      areaFraction: best.areaFraction,
      score: best.score,
      streak: change.streak + 1,
      snapshotIds: [...change.snapshotIds, snapshotId].slice(-o.snapshots),
      reported: change.reported,
    });
  }
  for (const region of candidates) {
    if (taken.has(region)) continue;
    changes.push({
      box: region.box,
      areaFraction: region.areaFraction,
      score: region.score,
      streak: 1,
      snapshotIds: [snapshotId],
      reported: false,
    });
  }
  for (const change of changes) {
    if (change.reported || change.streak < o.snapshots) continue;
    change.reported = true;
    findings.push({
      baselineId: state.baselineId,
      afterSnapshotId: snapshotId,
      snapshotIds: change.snapshotIds,
      box: change.box,
      areaFraction: change.areaFraction,
      score: change.score,
    });
  }
  changes.sort((a, b) => b.streak - a.streak || b.areaFraction - a.areaFraction);
  return { state: { version: 1, baselineId: state.baselineId, changes: changes.slice(0, MAX_TRACKED) }, findings };
}
