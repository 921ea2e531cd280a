// Drawing primitives for the synthetic camera scenes of scenes.ts: an RGB float canvas, seeded
// value noise, textured shapes, soft shadows, lighting, rain, sensor noise and camera shake.
// Deterministic: the same seed paints the same pixels on every machine.
import sharp from 'sharp';

export type Rgb = [number, number, number];
export type Canvas = { width: number; height: number; data: Float32Array };
/** Everything below is in canvas pixels. */
export type Rect = { x: number; y: number; width: number; height: number };
export type Texture =
  | { kind: 'noise'; seed: number; scale: number; amplitude: number }
  | { kind: 'bricks'; seed: number; brick: number; amplitude: number }
  | { kind: 'planks'; seed: number; plank: number; amplitude: number; vertical: boolean }
  | { kind: 'corrugated'; seed: number; pitch: number; amplitude: number };

/** mulberry32: a small, fast, seeded generator of numbers in [0, 1). */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hash(x: number, y: number, seed: number): number {
  let h = Math.imul(x, 374761393) + Math.imul(y, 668265263) + Math.imul(seed, 982451653);
  h = Math.imul(h ^ (h >>> 13), 1274126177);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/** Smooth value noise in [0, 1) with features about `scale` pixels wide. */
export function valueNoise(x: number, y: number, scale: number, seed: number): number {
  const fx = x / scale;
  const fy = y / scale;
  const ix = Math.floor(fx);
  const iy = Math.floor(fy);
  const tx = fx - ix;
  const ty = fy - iy;
  const sx = tx * tx * (3 - 2 * tx);
  const sy = ty * ty * (3 - 2 * ty);
  const top = hash(ix, iy, seed) * (1 - sx) + hash(ix + 1, iy, seed) * sx;
  const bottom = hash(ix, iy + 1, seed) * (1 - sx) + hash(ix + 1, iy + 1, seed) * sx;
  return top * (1 - sy) + bottom * sy;
}

/** Three octaves of value noise, in about [-1, 1]. */
export function fbm(x: number, y: number, scale: number, seed: number): number {
  return (
    (valueNoise(x, y, scale, seed) - 0.5) * 1.1 +
    (valueNoise(x, y, scale / 2.3, seed + 1) - 0.5) * 0.6 +
    (valueNoise(x, y, scale / 5.1, seed + 2) - 0.5) * 0.3
  );
}

export function createCanvas(width: number, height: number, colour: Rgb = [128, 128, 128]): Canvas {
  const data = new Float32Array(width * height * 3);
  for (let i = 0; i < data.length; i += 3) data.set(colour, i);
  return { width, height, data };
}

export function copyCanvas(c: Canvas): Canvas {
  return { width: c.width, height: c.height, data: c.data.slice() };
}

/** The brightness multiplier of a texture at (x, y), relative to the rect's corner. */
function textureAt(t: Texture | undefined, x: number, y: number): number {
  if (!t) return 1;
  switch (t.kind) {
    case 'noise':
      return 1 + t.amplitude * fbm(x, y, t.scale, t.seed);
    case 'bricks': {
      const row = Math.floor(y / t.brick);
      const bx = x / (t.brick * 2.2) + (row % 2) * 0.5;
      const mortar = y % t.brick < Math.max(1, t.brick * 0.15) || bx % 1 < 0.07;
      const shade = hash(Math.floor(bx), row, t.seed) - 0.5;
      return mortar ? 1 - t.amplitude * 1.2 : 1 + t.amplitude * shade + 0.15 * t.amplitude * fbm(x, y, t.brick, t.seed);
    }
    case 'planks': {
      const u = t.vertical ? x : y;
      const k = Math.floor(u / t.plank);
      const gap = u % t.plank < Math.max(1, t.plank * 0.12);
      return gap
        ? 1 - t.amplitude
        : 1 + t.amplitude * 0.6 * (hash(k, 7, t.seed) - 0.5) + 0.2 * t.amplitude * fbm(x, y, t.plank * 3, t.seed);
    }
    case 'corrugated':
      return 1 + t.amplitude * Math.sin((x / t.pitch) * Math.PI * 2) + 0.1 * t.amplitude * fbm(x, y, t.pitch * 6, t.seed);
  }
}

/** Paints where `coverage` (0–1) is positive inside `box`, blending by the coverage. */
export function paint(
  c: Canvas,
  box: Rect,
  coverage: (x: number, y: number) => number,
  colour: Rgb,
  texture?: Texture,
  origin: { x: number; y: number } = box,
): void {
  const x0 = Math.max(0, Math.floor(box.x));
  const y0 = Math.max(0, Math.floor(box.y));
  const x1 = Math.min(c.width, Math.ceil(box.x + box.width));
  const y1 = Math.min(c.height, Math.ceil(box.y + box.height));
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const k = coverage(x + 0.5, y + 0.5);
      if (k <= 0) continue;
      const m = textureAt(texture, x - origin.x, y - origin.y);
      const i = (y * c.width + x) * 3;
      for (let ch = 0; ch < 3; ch++) c.data[i + ch] = (c.data[i + ch] as number) * (1 - k) + (colour[ch] as number) * m * k;
    }
  }
}

export function fillRect(c: Canvas, r: Rect, colour: Rgb, texture?: Texture): void {
  paint(c, r, () => 1, colour, texture);
}

/** Signed distance inside a convex polygon (positive inside), counter-clockwise or clockwise. */
export function convexCoverage(points: { x: number; y: number }[], softness: number): (x: number, y: number) => number {
  let area = 0;
  for (let i = 0; i < points.length; i++) {
    const p = points[i] as { x: number; y: number };
    const q = points[(i + 1) % points.length] as { x: number; y: number };
    area += p.x * q.y - q.x * p.y;
  }
  const sign = area > 0 ? 1 : -1;
  const edges = points.map((p, i) => {
    const q = points[(i + 1) % points.length] as { x: number; y: number };
    const len = Math.hypot(q.x - p.x, q.y - p.y) || 1;
    return { p, nx: (-(q.y - p.y) / len) * sign, ny: ((q.x - p.x) / len) * sign };
  });
  return (x, y) => {
    let d = Number.POSITIVE_INFINITY;
    for (const e of edges) d = Math.min(d, (x - e.p.x) * e.nx + (y - e.p.y) * e.ny);
    return Math.max(0, Math.min(1, 0.5 + d / Math.max(0.5, softness)));
  };
}

export function boundsOf(points: { x: number; y: number }[]): Rect {
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return { x: x - 2, y: y - 2, width: Math.max(...xs) - x + 4, height: Math.max(...ys) - y + 4 };
}

/** Multiplies the canvas by `factor` inside a convex polygon with a soft edge (a cast shadow). */
export function shade(c: Canvas, points: { x: number; y: number }[], factor: number, softness: number, tint: Rgb = [1, 1, 1]): void {
  const coverage = convexCoverage(points, softness);
  const b = boundsOf(points);
  const pad = softness;
  for (let y = Math.max(0, Math.floor(b.y - pad)); y < Math.min(c.height, Math.ceil(b.y + b.height + pad)); y++) {
    for (let x = Math.max(0, Math.floor(b.x - pad)); x < Math.min(c.width, Math.ceil(b.x + b.width + pad)); x++) {
      const k = coverage(x + 0.5, y + 0.5);
      if (k <= 0) continue;
      const i = (y * c.width + x) * 3;
      for (let ch = 0; ch < 3; ch++) c.data[i + ch] = (c.data[i + ch] as number) * (1 - k + k * factor * (tint[ch] as number));
    }
  }
}

export type Lighting = {
  gain: number;
  tint: Rgb;
  /** Added to every channel after the gain (haze, black level). */
  offset: number;
  /** Street lamps: pools of light at these points (canvas pixels) with this radius and strength. */
  lamps: { x: number; y: number; radius: number; strength: number }[];
};

export function light(c: Canvas, l: Lighting): void {
  const { width, height, data } = c;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let g = l.gain;
      for (const lamp of l.lamps) {
        const d2 = ((x - lamp.x) ** 2 + (y - lamp.y) ** 2) / (lamp.radius * lamp.radius);
        if (d2 < 4) g += lamp.strength * Math.exp(-d2);
      }
      const i = (y * width + x) * 3;
      for (let ch = 0; ch < 3; ch++) data[i + ch] = (data[i + ch] as number) * g * (l.tint[ch] as number) + l.offset;
    }
  }
}

/** Rain: thin slanted bright streaks, plus a little blur of contrast by the falling water. */
export function rain(c: Canvas, seed: number, streaks: number, length: number, slant: number, brightness: number): void {
  const next = random(seed);
  for (let s = 0; s < streaks; s++) {
    const x0 = next() * c.width;
    const y0 = next() * c.height;
    const len = length * (0.5 + next());
    for (let t = 0; t < len; t++) {
      const x = Math.round(x0 + t * slant);
      const y = Math.round(y0 + t);
      if (x < 0 || y < 0 || x >= c.width || y >= c.height) break;
      const i = (y * c.width + x) * 3;
      for (let ch = 0; ch < 3; ch++) c.data[i + ch] = (c.data[i + ch] as number) * (1 - brightness) + 230 * brightness;
    }
  }
}

/** Sensor noise, roughly Gaussian (sum of uniforms), of standard deviation `sigma`. */
export function sensorNoise(c: Canvas, seed: number, sigma: number): void {
  if (sigma <= 0) return;
  const next = random(seed);
  const k = sigma * 2; // sum of three uniforms in [-0.5, 0.5) has sd 0.5
  for (let i = 0; i < c.data.length; i++) c.data[i] = (c.data[i] as number) + (next() + next() + next() - 1.5) * k;
}

/** Camera shake: the picture moved by (dx, dy) pixels and turned by `degrees` about its centre. */
export function shake(c: Canvas, dx: number, dy: number, degrees: number): Canvas {
  if (dx === 0 && dy === 0 && degrees === 0) return c;
  const { width, height, data } = c;
  const out = new Float32Array(data.length);
  const cos = Math.cos((degrees * Math.PI) / 180);
  const sin = Math.sin((degrees * Math.PI) / 180);
  const cx = width / 2;
  const cy = height / 2;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // Where this output pixel comes from in the unshaken scene.
      const ux = x - dx - cx;
      const uy = y - dy - cy;
      const sx = Math.min(width - 1.001, Math.max(0, cos * ux + sin * uy + cx));
      const sy = Math.min(height - 1.001, Math.max(0, -sin * ux + cos * uy + cy));
      const ix = Math.floor(sx);
      const iy = Math.floor(sy);
      const fx = sx - ix;
      const fy = sy - iy;
      const p = (iy * width + ix) * 3;
      const q = p + width * 3;
      const o = (y * width + x) * 3;
      for (let ch = 0; ch < 3; ch++) {
        const top = (data[p + ch] as number) * (1 - fx) + (data[p + 3 + ch] as number) * fx;
        const bottom = (data[q + ch] as number) * (1 - fx) + (data[q + 3 + ch] as number) * fx;
        out[o + ch] = top * (1 - fy) + bottom * fy;
      }
    }
  }
  return { width, height, data: out };
}

export function encodeJpeg(c: Canvas, quality = 85): Promise<Buffer> {
  const bytes = new Uint8Array(c.data.length);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.max(0, Math.min(255, Math.round(c.data[i] as number)));
  return sharp(bytes, { raw: { width: c.width, height: c.height, channels: 3 } })
    .jpeg({ quality })
    .toBuffer();
}
