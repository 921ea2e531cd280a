// Small raster operations on single-channel planes (row-major, width × height) used by the change
// detector: box filters, polygon masks, square morphology and connected components. Everything is
// O(pixels) per call whatever the radius, because the detector runs them many times per snapshot.

/** A point in normalised picture coordinates: x and y from 0 (left/top) to 1 (right/bottom). */
export type Point = { x: number; y: number };
/** A closed polygon in normalised coordinates (at least three points; the last joins the first). */
export type Polygon = Point[];

/** Mean over a (2r+1)² square, the square clipped at the borders (so borders average fewer pixels). */
export function boxMean(src: Float32Array, width: number, height: number, r: number): Float32Array {
  const tmp = new Float32Array(src.length);
  const out = new Float32Array(src.length);
  for (let y = 0; y < height; y++) runningMean(src, tmp, y * width, 1, width, r);
  for (let x = 0; x < width; x++) runningMean(tmp, out, x, width, height, r);
  return out;
}

function runningMean(src: Float32Array, dst: Float32Array, start: number, step: number, n: number, r: number): void {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < Math.min(r, n); i++) {
    sum += src[start + i * step] as number;
    count++;
  }
  for (let i = 0; i < n; i++) {
    const add = i + r;
    if (add < n) {
      sum += src[start + add * step] as number;
      count++;
    }
    const drop = i - r - 1;
    if (drop >= 0) {
      sum -= src[start + drop * step] as number;
      count--;
    }
    dst[start + i * step] = sum / count;
  }
}

/** A smoothing close to a Gaussian of sigma ≈ r: three box passes. */
export function smooth(src: Float32Array, width: number, height: number, r = 1): Float32Array {
  return boxMean(boxMean(boxMean(src, width, height, r), width, height, r), width, height, r);
}

/** 1 where the pixel centre lies inside the polygon (even-odd rule), else 0. */
export function rasterisePolygon(polygon: Polygon, width: number, height: number): Uint8Array {
  const mask = new Uint8Array(width * height);
  const n = polygon.length;
  if (n < 3) return mask;
  const crossings: number[] = [];
  for (let y = 0; y < height; y++) {
    const py = (y + 0.5) / height;
    crossings.length = 0;
    for (let i = 0; i < n; i++) {
      const a = polygon[i] as Point;
      const b = polygon[(i + 1) % n] as Point;
      if (a.y <= py === b.y <= py) continue;
      crossings.push(a.x + ((py - a.y) / (b.y - a.y)) * (b.x - a.x));
    }
    crossings.sort((p, q) => p - q);
    for (let k = 0; k + 1 < crossings.length; k += 2) {
      const from = Math.max(0, Math.ceil((crossings[k] as number) * width - 0.5));
      const to = Math.min(width - 1, Math.floor((crossings[k + 1] as number) * width - 0.5));
      mask.fill(1, y * width + from, from <= to ? y * width + to + 1 : y * width + from);
    }
  }
  return mask;
}

/** Morphological dilation (any) or erosion (all) of a 0/1 mask by a (2r+1)² square. */
export function dilate(mask: Uint8Array, width: number, height: number, r: number): Uint8Array {
  return squareFilter(mask, width, height, r, false);
}

export function erode(mask: Uint8Array, width: number, height: number, r: number): Uint8Array {
  return squareFilter(mask, width, height, r, true);
}

function squareFilter(mask: Uint8Array, width: number, height: number, r: number, all: boolean): Uint8Array {
  if (r <= 0) return mask.slice();
  const tmp = new Uint8Array(mask.length);
  const out = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) runningAnyAll(mask, tmp, y * width, 1, width, r, all);
  for (let x = 0; x < width; x++) runningAnyAll(tmp, out, x, width, height, r, all);
  return out;
}

// Counts the ones in a sliding window; outside the picture counts as 0 for dilation and as 1 for
// erosion, so a region touching the border is not eaten from the border side.
function runningAnyAll(src: Uint8Array, dst: Uint8Array, start: number, step: number, n: number, r: number, all: boolean): void {
  const window = 2 * r + 1;
  // Before the loop the window is [-r-1, r-1]: r+1 places outside on the left.
  let ones = all ? r + 1 : 0;
  for (let i = 0; i < Math.min(r, n); i++) ones += src[start + i * step] as number;
  if (all && n < r) ones += r - n;
  for (let i = 0; i < n; i++) {
    const add = i + r;
    ones += add < n ? (src[start + add * step] as number) : all ? 1 : 0;
    const drop = i - r - 1;
    if (drop >= 0) ones -= src[start + drop * step] as number;
    else if (all) ones -= 1;
    dst[start + i * step] = all ? (ones === window ? 1 : 0) : ones > 0 ? 1 : 0;
  }
}

export function opening(mask: Uint8Array, width: number, height: number, r: number): Uint8Array {
  return dilate(erode(mask, width, height, r), width, height, r);
}

export function closing(mask: Uint8Array, width: number, height: number, r: number): Uint8Array {
  return erode(dilate(mask, width, height, r), width, height, r);
}

export type Component = { pixels: number; minX: number; minY: number; maxX: number; maxY: number; sum: number };

/** 8-connected components of a 0/1 mask; `sum` adds up `weights` over each component's pixels. */
export function connectedComponents(mask: Uint8Array, width: number, height: number, weights?: Float32Array): Component[] {
  const seen = new Uint8Array(mask.length);
  const stack = new Int32Array(mask.length);
  const components: Component[] = [];
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || seen[start]) continue;
    const c: Component = { pixels: 0, minX: width, minY: height, maxX: -1, maxY: -1, sum: 0 };
    let top = 0;
    stack[top++] = start;
    seen[start] = 1;
    while (top > 0) {
      const p = stack[--top] as number;
      const x = p % width;
      const y = (p - x) / width;
      c.pixels++;
      c.sum += weights ? (weights[p] as number) : 1;
      if (x < c.minX) c.minX = x;
      if (x > c.maxX) c.maxX = x;
      if (y < c.minY) c.minY = y;
      if (y > c.maxY) c.maxY = y;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const q = ny * width + nx;
          if (mask[q] && !seen[q]) {
            seen[q] = 1;
            stack[top++] = q;
          }
        }
      }
    }
    components.push(c);
  }
  return components;
}

/** The plane moved by (dx, dy) whole pixels; pixels moved in from outside repeat the border. */
export function shifted(src: Float32Array, width: number, height: number, dx: number, dy: number): Float32Array {
  if (dx === 0 && dy === 0) return src;
  const out = new Float32Array(src.length);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(height - 1, Math.max(0, y - dy));
    for (let x = 0; x < width; x++) {
      const sx = Math.min(width - 1, Math.max(0, x - dx));
      out[y * width + x] = src[sy * width + sx] as number;
    }
  }
  return out;
}
