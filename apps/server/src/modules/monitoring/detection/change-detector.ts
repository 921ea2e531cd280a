// Change detection between a camera's baseline scene and a new snapshot, for finding unauthorised
// building. Pure apart from decoding: `compareScenes` works on prepared planes and is synchronous.
//
// Why it is built this way (see also the tuning notes in scenes.ts):
// - Light. Day, dusk, night and exposure change the brightness of everything; shadows change the
//   brightness of a part. Neither changes the texture's arrangement, so pixels are compared by the
//   normalised cross-correlation of a small window around them (SSIM's structure term), which
//   ignores gain and offset. Two flat windows count as alike; a textured one against a flat one
//   (a wall over gravel, cladding over a plain plot) counts as changed.
// - Shake. The snapshot is first moved by the whole-pixel translation (±maxShift) that best lines
//   its gradients up with the baseline's, and every pixel may then match the baseline up to
//   `tolerance` pixels away, which absorbs a small rotation.
// - Rain, noise, shadow edges. The reduction to WORK_WIDTH averages noise and streaks away; what
//   is left, and the band a shadow's edge leaves (as wide as the window), is removed by a
//   morphological opening at least as wide as the window, and by a minimum region size.
// - Passing people and vehicles are real changes here; persistence.ts drops them because they do
//   not stay.
// Privacy masks are painted a constant grey in both pictures before anything is compared, so
// nothing behind them can influence a result, and their pixels never count as changed.
import { DetectionError, decodeWorkingPlane, type WorkingPlane } from './image-input.ts';
import { boxMean, closing, connectedComponents, dilate, opening, type Polygon, rasterisePolygon, shifted } from './raster.ts';

/** A rectangle in normalised picture coordinates (0–1 of the width and height). */
export type NormalisedBox = { x: number; y: number; width: number; height: number };

/** One connected changed area. */
export type ChangedRegion = {
  box: NormalisedBox;
  /** The region's changed pixels as a fraction of the watch area (without its privacy masks). */
  areaFraction: number;
  /** Mean dissimilarity of its pixels, 0 (alike) to 1 (unrelated). */
  score: number;
};

export type DetectionResult = {
  /** Largest first. */
  regions: ChangedRegion[];
  /** All regions' changed pixels as a fraction of the watch area. */
  changedFraction: number;
  /** The largest region's score, 0 when nothing changed. */
  score: number;
  /** How far the snapshot was moved to line up with the baseline, in normalised units. */
  shift: { x: number; y: number };
};

export type DetectorOptions = {
  /** Dissimilarity (1 − correlation, 0–2) above which a pixel has changed. */
  threshold: number;
  /** Radius of the correlation window, working pixels. */
  windowRadius: number;
  /** Variance (grey levels², at working size) under which a window counts as flat. */
  flatness: number;
  /** Radius of the median that estimates the local change of light (shadows, lamps), working pixels. */
  gainRadius: number;
  /** Radius of the opening that removes thin changes (noise, streaks, shadow edges). */
  openingRadius: number;
  /** Radius of the closing that joins the pieces of one structure. */
  mergeRadius: number;
  /** Regions smaller than this fraction of the watch area are dropped. */
  minRegionFraction: number;
  /** Largest camera shift searched, working pixels (1 working pixel = 6 pixels of a 1920-wide picture). */
  maxShift: number;
  /** How far a pixel may match its baseline after the global shift, working pixels. */
  tolerance: number;
};

/** Chosen on the tuning set of scenes.ts only (see there). */
export const DEFAULT_DETECTOR_OPTIONS: Readonly<DetectorOptions> = Object.freeze({
  threshold: 0.28,
  windowRadius: 3,
  flatness: 8,
  gainRadius: 12,
  openingRadius: 2,
  mergeRadius: 2,
  minRegionFraction: 0.004,
  maxShift: 4,
  tolerance: 1,
});

/** A baseline scene ready for comparison: plain data, safe to keep, to clone to a worker or to store. */
export type PreparedBaseline = WorkingPlane & { kind: 'monitoring.baseline'; version: 1 };

/** Prepares a picture as a camera's baseline; accepting a new scene is just this on the snapshot. */
export async function prepareBaseline(image: Uint8Array): Promise<PreparedBaseline> {
  return { kind: 'monitoring.baseline', version: 1, ...(await decodeWorkingPlane(image)) };
}

export type DetectionInput = {
  baseline: PreparedBaseline;
  /** The new snapshot's encoded bytes (JPEG, PNG or WebP). */
  snapshot: Uint8Array;
  /** Where to look, normalised coordinates. */
  watchArea: Polygon;
  /** Areas that are never looked at (windows of homes…), normalised coordinates. */
  privacyMasks?: Polygon[];
  options?: Partial<DetectorOptions>;
};

export async function detectChange(input: DetectionInput): Promise<DetectionResult> {
  checkPolygons(input.watchArea, input.privacyMasks ?? []);
  const snapshot = await decodeWorkingPlane(input.snapshot, { width: input.baseline.width, height: input.baseline.height });
  return compareScenes(input.baseline, snapshot, input.watchArea, input.privacyMasks ?? [], input.options);
}

const MAX_POLYGON_POINTS = 256;
const MAX_MASKS = 64;

export function checkPolygons(watchArea: Polygon, privacyMasks: Polygon[]): void {
  const valid = (polygon: Polygon) =>
    Array.isArray(polygon) &&
    polygon.length >= 3 &&
    polygon.length <= MAX_POLYGON_POINTS &&
    polygon.every((p) => p !== null && typeof p === 'object' && inUnit(p.x) && inUnit(p.y));
  if (!valid(watchArea) || !Array.isArray(privacyMasks) || privacyMasks.length > MAX_MASKS || !privacyMasks.every(valid)) {
    throw new DetectionError('invalid_polygon');
  }
}

const inUnit = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1;

/** The comparison itself, on two planes of the same size. */
export function compareScenes(
  baseline: WorkingPlane,
  snapshot: WorkingPlane,
  watchArea: Polygon,
  privacyMasks: Polygon[],
  overrides: Partial<DetectorOptions> = {},
): DetectionResult {
  const o = { ...DEFAULT_DETECTOR_OPTIONS, ...overrides };
  const { width, height } = baseline;
  const n = width * height;
  const { watched, watchedCount, dissimilarity, shift } = dissimilarityMap(baseline, snapshot, watchArea, privacyMasks, o);
  if (watchedCount === 0) return { regions: [], changedFraction: 0, score: 0, shift: { x: 0, y: 0 } };
  const changed = new Uint8Array(n);
  for (let i = 0; i < n; i++) changed[i] = watched[i] && (dissimilarity[i] as number) > o.threshold ? 1 : 0;
  const cleaned = closing(opening(changed, width, height, o.openingRadius), width, height, o.mergeRadius);
  for (let i = 0; i < n; i++) cleaned[i] = (cleaned[i] as number) & (watched[i] as number);
  for (let i = 0; i < n; i++) dissimilarity[i] = Math.min(1, dissimilarity[i] as number);

  const regions: ChangedRegion[] = [];
  let changedPixels = 0;
  for (const c of connectedComponents(cleaned, width, height, dissimilarity)) {
    if (c.pixels < o.minRegionFraction * watchedCount) continue;
    changedPixels += c.pixels;
    regions.push({
      box: { x: c.minX / width, y: c.minY / height, width: (c.maxX - c.minX + 1) / width, height: (c.maxY - c.minY + 1) / height },
      areaFraction: c.pixels / watchedCount,
      score: c.sum / c.pixels,
    });
  }
  regions.sort((p, q) => q.areaFraction - p.areaFraction);
  return {
    regions,
    changedFraction: changedPixels / watchedCount,
    score: regions[0]?.score ?? 0,
    shift: { x: shift.dx / width, y: shift.dy / height },
  };
}

export type DissimilarityMap = {
  /** 1 where the pixel is watched (inside the watch area, outside every privacy mask). */
  watched: Uint8Array;
  watchedCount: number;
  /** Per working pixel, 0 (alike) to 2 (opposite). */
  dissimilarity: Float32Array;
  /** Whole working pixels the snapshot was moved by. */
  shift: { dx: number; dy: number };
};

/** The per-pixel dissimilarity before thresholding (exported for diagnostics and tests). */
export function dissimilarityMap(
  baseline: WorkingPlane,
  snapshot: WorkingPlane,
  watchArea: Polygon,
  privacyMasks: Polygon[],
  o: DetectorOptions,
): DissimilarityMap {
  const { width, height } = baseline;
  if (snapshot.width !== width || snapshot.height !== height) throw new DetectionError('baseline_mismatch');
  const n = width * height;
  const masked = new Uint8Array(n);
  for (const mask of privacyMasks) {
    const m = rasterisePolygon(mask, width, height);
    for (let i = 0; i < n; i++) masked[i] = (masked[i] as number) | (m[i] as number);
  }
  // One pixel more, because the reduced picture blends the mask's edge with its neighbours.
  const hidden = dilate(masked, width, height, 1);
  const watched = rasterisePolygon(watchArea, width, height);
  let watchedCount = 0;
  for (let i = 0; i < n; i++) {
    if (hidden[i]) watched[i] = 0;
    watchedCount += watched[i] as number;
  }
  const a = boxMean(planeOf(baseline.grey, hidden), width, height, 1);
  const b0 = boxMean(planeOf(snapshot.grey, hidden), width, height, 1);
  const shift = bestShift(a, b0, hidden, width, height, o.maxShift);
  const b = shifted(b0, width, height, -shift.dx, -shift.dy);
  const gain = gainMap(a, b, width, height, o.gainRadius);
  for (let i = 0; i < n; i++) b[i] = (b[i] as number) / (gain[i] as number);
  return { watched, watchedCount, dissimilarity: localDissimilarity(a, b, gain, width, height, o), shift };
}

/** The grey levels as floats; hidden pixels a constant mid-grey in both pictures. */
function planeOf(grey: Uint8Array, hidden: Uint8Array): Float32Array {
  const out = new Float32Array(grey.length);
  for (let i = 0; i < grey.length; i++) out[i] = hidden[i] ? 128 : (grey[i] as number);
  return out;
}

/**
 * How much brighter the snapshot is than the baseline around each pixel: the median of the pixel
 * ratios along rows, then along columns, `radius` pixels either side. A median keeps the step at a shadow's edge sharp, so
 * dividing by it removes shadows and light changes with their edges, while the unrelated texture
 * of a new structure stays unrelated.
 */
function gainMap(a: Float32Array, b: Float32Array, width: number, height: number, radius: number): Float32Array {
  const ratio = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) ratio[i] = ((b[i] as number) + 4) / ((a[i] as number) + 4);
  const rows = new Float32Array(a.length);
  const out = new Float32Array(a.length);
  const window = new Float32Array(2 * radius + 1);
  for (let y = 0; y < height; y++) runningMedian(ratio, rows, y * width, 1, width, window);
  for (let x = 0; x < width; x++) runningMedian(rows, out, x, width, height, window);
  return out;
}

/** Median of a sliding window along a row or column: the window is kept sorted as it slides. */
function runningMedian(src: Float32Array, dst: Float32Array, start: number, step: number, n: number, window: Float32Array): void {
  const r = (window.length - 1) / 2;
  const at = (k: number) => src[start + Math.min(n - 1, Math.max(0, k)) * step] as number;
  for (let k = 0; k < window.length; k++) window[k] = at(k - r);
  window.sort();
  for (let i = 0; i < n; i++) {
    dst[start + i * step] = window[r] as number;
    // Slide: the value at i − r leaves, the one at i + r + 1 enters.
    const out = at(i - r);
    const into = at(i + r + 1);
    let j = window.indexOf(out);
    if (into > out) {
      while (j + 1 < window.length && (window[j + 1] as number) < into) {
        window[j] = window[j + 1] as number;
        j++;
      }
    } else {
      while (j > 0 && (window[j - 1] as number) > into) {
        window[j] = window[j - 1] as number;
        j--;
      }
    }
    window[j] = into;
  }
}

/** The whole-pixel translation of the snapshot that best lines up its gradients with the baseline's. */
function bestShift(a: Float32Array, b: Float32Array, hidden: Uint8Array, width: number, height: number, maxShift: number) {
  const [ax, ay] = gradients(a, width, height);
  const [bx, by] = gradients(b, width, height);
  let best = { dx: 0, dy: 0 };
  let bestScore = Number.NEGATIVE_INFINITY;
  const m = maxShift + 1;
  for (let dy = -maxShift; dy <= maxShift; dy++) {
    for (let dx = -maxShift; dx <= maxShift; dx++) {
      let dot = 0;
      let normB = 0;
      for (let y = m; y < height - m; y += 2) {
        for (let x = m; x < width - m; x += 2) {
          const p = y * width + x;
          if (hidden[p]) continue;
          const q = p + dy * width + dx;
          const gx = bx[q] as number;
          const gy = by[q] as number;
          dot += (ax[p] as number) * gx + (ay[p] as number) * gy;
          normB += gx * gx + gy * gy;
        }
      }
      // Prefer no move when scores tie (a flat scene), so a still camera is never "shaken".
      const score = dot / Math.sqrt(normB + 1e-9) - 1e-6 * (Math.abs(dx) + Math.abs(dy));
      if (score > bestScore) {
        bestScore = score;
        best = { dx, dy };
      }
    }
  }
  return best;
}

function gradients(p: Float32Array, width: number, height: number): [Float32Array, Float32Array] {
  const gx = new Float32Array(p.length);
  const gy = new Float32Array(p.length);
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      gx[i] = (p[i + 1] as number) - (p[i - 1] as number);
      gy[i] = (p[i + width] as number) - (p[i - width] as number);
    }
  }
  return [gx, gy];
}

/**
 * 1 − SSIM's contrast-structure term ((2 cov + c) / (σa² + σb² + c)) per pixel, the smallest over
 * baseline windows up to `tolerance` pixels away. `c` grows where the snapshot was darker than the
 * baseline (gain < 1), because dividing by the gain amplified its noise as much.
 */
function localDissimilarity(
  a: Float32Array,
  b: Float32Array,
  gain: Float32Array,
  width: number,
  height: number,
  o: DetectorOptions,
): Float32Array {
  const r = o.windowRadius;
  const n = a.length;
  const bb = new Float32Array(n);
  for (let i = 0; i < n; i++) bb[i] = (b[i] as number) * (b[i] as number);
  const meanB = boxMean(b, width, height, r);
  const varB = boxMean(bb, width, height, r);
  const c = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    varB[i] = Math.max(0, (varB[i] as number) - (meanB[i] as number) ** 2);
    c[i] = o.flatness / Math.min(1, gain[i] as number) ** 2;
  }
  const best = new Float32Array(n).fill(2);
  const ab = new Float32Array(n);
  const aa = new Float32Array(n);
  for (let dy = -o.tolerance; dy <= o.tolerance; dy++) {
    for (let dx = -o.tolerance; dx <= o.tolerance; dx++) {
      const as = shifted(a, width, height, dx, dy);
      for (let i = 0; i < n; i++) {
        ab[i] = (as[i] as number) * (b[i] as number);
        aa[i] = (as[i] as number) * (as[i] as number);
      }
      const meanA = boxMean(as, width, height, r);
      const meanAA = boxMean(aa, width, height, r);
      const meanAB = boxMean(ab, width, height, r);
      for (let i = 0; i < n; i++) {
        const ma = meanA[i] as number;
        const mb = meanB[i] as number;
        const va = Math.max(0, (meanAA[i] as number) - ma * ma);
        const cov = (meanAB[i] as number) - ma * mb;
        const ci = c[i] as number;
        const d = 1 - (2 * cov + ci) / (va + (varB[i] as number) + ci);
        if (d < (best[i] as number)) best[i] = d;
      }
    }
  }
  return best;
}
