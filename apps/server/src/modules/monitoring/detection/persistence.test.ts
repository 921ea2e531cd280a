import { describe, expect, it } from 'vitest';
import type { ChangedRegion } from './change-detector.ts';
import { observe, startTracker, type TrackerState } from './persistence.ts';

const region = (x: number, areaFraction = 0.05): ChangedRegion => ({
  box: { x, y: 0.5, width: 0.1, height: 0.1 },
  areaFraction,
  score: 0.7,
});

function run(sequence: ChangedRegion[][], options = {}) {
  let state: TrackerState = startTracker('baseline-1');
  const findings = [];
  for (const [i, regions] of sequence.entries()) {
    const step = observe(state, `s${i}`, { regions }, options);
    state = JSON.parse(JSON.stringify(step.state)); // the state survives a trip through a database
    findings.push(...step.findings.map((f) => ({ ...f, at: i })));
  }
  return { state, findings };
}

describe('persistence', () => {
  it('makes a finding only on the Nth consecutive snapshot, once, with before and after', () => {
    const { findings } = run([[region(0.3)], [region(0.31)], [region(0.29)], [region(0.3)], [region(0.3)]]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ at: 2, baselineId: 'baseline-1', afterSnapshotId: 's2', snapshotIds: ['s0', 's1', 's2'] });
    expect(findings[0]?.box.x).toBeCloseTo(0.29);
  });

  it('N is configurable', () => {
    const seq = [[region(0.3)], [region(0.3)], [region(0.3)], [region(0.3)]];
    expect(run(seq, { snapshots: 4 }).findings[0]?.at).toBe(3);
    expect(run(seq, { snapshots: 5 }).findings).toHaveLength(0);
    expect(run(seq, { snapshots: 1 }).findings[0]?.at).toBe(0);
  });

  it('a passing vehicle (one snapshot) and a broken streak make no finding', () => {
    expect(run([[], [region(0.3)], [], [region(0.6)], []]).findings).toHaveLength(0);
    expect(run([[region(0.3)], [region(0.3)], [], [region(0.3)], [region(0.3)]]).findings).toHaveLength(0);
  });

  it('a change that moves to a place it does not overlap starts again', () => {
    expect(run([[region(0.1)], [region(0.5)], [region(0.8)]]).findings).toHaveLength(0);
  });

  it('changes smaller than the minimum area never become findings', () => {
    const small = [[region(0.3, 0.002)], [region(0.3, 0.002)], [region(0.3, 0.002)]];
    expect(run(small).findings).toHaveLength(0);
    expect(run(small, { minAreaFraction: 0.001 }).findings).toHaveLength(1);
  });

  it('two structures are found separately; a fresh tracker (new baseline) forgets both', () => {
    const { state, findings } = run([
      [region(0.1), region(0.6)],
      [region(0.1), region(0.6)],
      [region(0.1), region(0.6)],
    ]);
    expect(findings).toHaveLength(2);
    expect(state.changes).toHaveLength(2);
    expect(startTracker('baseline-2')).toEqual({ version: 1, baselineId: 'baseline-2', changes: [] });
  });
});
