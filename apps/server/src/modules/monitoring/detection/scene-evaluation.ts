// Runs the detector and the persistence tracker over synthetic sequences (scenes.ts) and counts
// what they got right, for the tests and for `monitoring.detect.precision / recall` in the bench.
//
// Per case: the baseline is prepared, each snapshot is detected and observed in order. A finding
// whose box overlaps the structure's true box (intersection over union ≥ MATCH_IOU) is a true
// positive; every other finding is a false positive; a case with a structure and no matching
// finding is a false negative.
import {
  type DetectionResult,
  type DetectorOptions,
  detectChange,
  type NormalisedBox,
  type PreparedBaseline,
  prepareBaseline,
} from './change-detector.ts';
import { type Finding, observe, type PersistenceOptions, startTracker } from './persistence.ts';
import { renderBaseline, renderSnapshot, type SceneCase } from './scenes.ts';

export const MATCH_IOU = 0.2;

export type CaseOutcome = {
  id: string;
  kind: string;
  expected: boolean;
  findings: Finding[];
  truePositive: boolean;
  falsePositives: number;
  /** Detection time per snapshot, milliseconds (decoding included, rendering not). */
  detectMs: number[];
};

export type Detect = (baseline: PreparedBaseline, snapshot: Buffer, c: SceneCase) => Promise<DetectionResult>;

export type EvaluationOptions = {
  width?: number;
  height?: number;
  detector?: Partial<DetectorOptions>;
  persistence?: Partial<PersistenceOptions>;
  detect?: Detect;
};

export function iou(a: NormalisedBox, b: NormalisedBox): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / (a.width * a.height + b.width * b.height - inter);
}

export async function evaluateCase(c: SceneCase, options: EvaluationOptions = {}): Promise<CaseOutcome> {
  const { width = 1920, height = 1080 } = options;
  const detect: Detect =
    options.detect ??
    ((baseline, snapshot) =>
      detectChange({ baseline, snapshot, watchArea: c.watchArea, privacyMasks: c.privacyMasks, options: options.detector }));
  const baseline = await prepareBaseline(await renderBaseline(c, width, height));
  let tracker = startTracker(`${c.id}/baseline`);
  const findings: Finding[] = [];
  const detectMs: number[] = [];
  for (let i = 0; i < c.snapshots.length; i++) {
    const snapshot = await renderSnapshot(c, i, width, height);
    const started = performance.now();
    const result = await detect(baseline, snapshot, c);
    detectMs.push(performance.now() - started);
    const step = observe(tracker, `${c.id}/${i}`, result, options.persistence);
    tracker = step.state;
    findings.push(...step.findings);
  }
  const truth = c.expected.box;
  const matching = truth ? findings.filter((f) => iou(f.box, truth) >= MATCH_IOU) : [];
  return {
    id: c.id,
    kind: c.kind,
    expected: c.expected.finding,
    findings,
    truePositive: matching.length > 0,
    falsePositives: findings.length - matching.length,
    detectMs,
  };
}

export type Evaluation = {
  precision: number;
  recall: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  outcomes: CaseOutcome[];
};

export function summarise(outcomes: CaseOutcome[]): Evaluation {
  const truePositives = outcomes.filter((o) => o.truePositive).length;
  const falsePositives = outcomes.reduce((sum, o) => sum + o.falsePositives, 0);
  const falseNegatives = outcomes.filter((o) => o.expected && !o.truePositive).length;
  return {
    precision: truePositives + falsePositives === 0 ? 1 : truePositives / (truePositives + falsePositives),
    recall: truePositives + falseNegatives === 0 ? 1 : truePositives / (truePositives + falseNegatives),
    truePositives,
    falsePositives,
    falseNegatives,
    outcomes,
  };
}
