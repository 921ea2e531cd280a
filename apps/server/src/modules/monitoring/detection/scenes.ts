// Synthetic, seeded camera sequences of a market-town street for testing and measuring the change
// detector: a baseline in daylight, then a few snapshots in which a structure may appear, the light
// changes (dusk, night with street lamps, exposure), it rains, a truck or people pass (in one
// snapshot only), a shadow moves, the camera shakes, or several of these at once.
//
// Two sets, never mixed: TUNING (seeds 1–…, TUNING_RANGES) is the only one the detector's defaults
// (DEFAULT_DETECTOR_OPTIONS, DEFAULT_PERSISTENCE) were chosen on; HELD_OUT (seeds from 10,001,
// HELD_OUT_RANGES: other sizes, colours, light levels, rain, shadows and shake) is only measured,
// by apps/server/bench/monitoring.bench.ts.
import type { Polygon } from './raster.ts';
import {
  type Layout,
  makeLayout,
  type NBox,
  type Passer,
  paintLayout,
  paintPasser,
  paintStructure,
  type Structure,
  type StructureKind,
} from './scene-layout.ts';
import {
  type Canvas,
  copyCanvas,
  encodeJpeg,
  type Lighting,
  light,
  type Rgb,
  rain,
  random,
  sensorNoise,
  shade,
  shake,
} from './scene-painter.ts';

export type SceneKind =
  | 'structure'
  | 'light'
  | 'rain'
  | 'passing'
  | 'shadow'
  | 'shake'
  | 'structure+night'
  | 'structure+rain'
  | 'structure+shake'
  | 'structure+shadow'
  | 'light+rain+shake'
  | 'passing+shadow+dusk';

export const SCENE_KINDS: SceneKind[] = [
  'structure',
  'light',
  'rain',
  'passing',
  'shadow',
  'shake',
  'structure+night',
  'structure+rain',
  'structure+shake',
  'structure+shadow',
  'light+rain+shake',
  'passing+shadow+dusk',
];

type Range = [number, number];
export type SceneRanges = {
  structureWidth: Range;
  structureHeight: Range;
  structureKinds: StructureKind[];
  colours: Rgb[];
  duskGain: Range;
  nightGain: Range;
  exposure: Range;
  noise: Range;
  rainStreaks: Range; // per 1920×1080 picture
  rainDarken: Range;
  shadowFactor: Range;
  shakePixels: Range; // at 1920 wide
  shakeDegrees: Range;
};

export const TUNING_RANGES: SceneRanges = {
  structureWidth: [0.1, 0.2],
  structureHeight: [0.1, 0.18],
  structureKinds: ['shed', 'wall', 'container'],
  colours: [
    [70, 110, 170],
    [150, 150, 150],
    [165, 85, 62],
    [222, 222, 214],
  ],
  duskGain: [0.45, 0.6],
  nightGain: [0.16, 0.25],
  exposure: [0.75, 1.3],
  noise: [2, 4],
  rainStreaks: [1500, 3000],
  rainDarken: [0.65, 0.8],
  shadowFactor: [0.45, 0.6],
  shakePixels: [2, 8],
  shakeDegrees: [0, 0.25],
};

export const HELD_OUT_RANGES: SceneRanges = {
  structureWidth: [0.07, 0.24],
  structureHeight: [0.07, 0.2],
  structureKinds: ['shed', 'wall', 'container', 'storey'],
  colours: [
    [72, 128, 82],
    [205, 125, 52],
    [200, 182, 142],
    [84, 84, 90],
    [120, 60, 110],
  ],
  duskGain: [0.35, 0.65],
  nightGain: [0.12, 0.3],
  exposure: [0.65, 1.4],
  noise: [1.5, 6],
  rainStreaks: [1000, 4500],
  rainDarken: [0.55, 0.85],
  shadowFactor: [0.35, 0.65],
  shakePixels: [1, 12],
  shakeDegrees: [0, 0.35],
};

export type SnapshotSpec = {
  structure: boolean;
  lighting: 'day' | 'dusk' | 'night' | 'exposure';
  gain: number;
  noise: number;
  rain?: { streaks: number; darken: number };
  shadow?: { points: { x: number; y: number }[]; factor: number };
  passers: Passer[];
  shake?: { dx: number; dy: number; degrees: number };
  seed: number;
};

export type SceneCase = {
  id: string;
  kind: SceneKind;
  layout: Layout;
  structure?: Structure;
  snapshots: SnapshotSpec[];
  watchArea: Polygon;
  privacyMasks: Polygon[];
  /** A finding is expected exactly when a structure appears; it should overlap this box. */
  expected: { finding: boolean; box?: NBox };
};

export const SNAPSHOTS_PER_CASE = 4;

export function makeCase(kind: SceneKind, seed: number, ranges: SceneRanges): SceneCase {
  const next = random(seed * 31 + 7);
  const between = ([a, b]: Range) => a + (b - a) * next();
  const pick = <T>(list: T[]): T => list[Math.floor(next() * list.length)] as T;
  const layout = makeLayout(seed);
  const has = (part: string) => kind.split('+').includes(part);
  const watchArea: Polygon = [
    { x: 0.06, y: 0.14 },
    { x: 0.94, y: 0.14 },
    { x: 0.97, y: 0.97 },
    { x: 0.03, y: 0.97 },
  ];
  // A home's upper windows are never looked at.
  const home = pick(layout.buildings.filter((b) => b.box.x > 0.1 && b.box.x + b.box.width < 0.9)) ?? layout.buildings[1];
  const privacyMasks: Polygon[] = home
    ? [rectPolygon({ x: home.box.x, y: home.box.y, width: home.box.width, height: home.box.height * 0.45 })]
    : [];
  let structure: Structure | undefined;
  if (has('structure')) {
    const structureKind = pick(ranges.structureKinds);
    const width = between(ranges.structureWidth);
    const height = between(ranges.structureHeight);
    let box: NBox;
    const onto = layout.buildings.filter((b) => b.box.x > 0.08 && b.box.x + b.box.width < 0.92 && b.box.y - height > 0.15);
    if (structureKind === 'storey' && onto.length > 0) {
      const b = pick(onto);
      box = { x: b.box.x, y: b.box.y - height, width: b.box.width, height };
    } else {
      const bottom = between([layout.groundY + height * 0.5 + 0.05, layout.roadTop - 0.01]);
      box = { x: between([0.08, 0.92 - width]), y: bottom - height, width, height };
    }
    structure = {
      kind: structureKind === 'storey' && onto.length === 0 ? 'shed' : structureKind,
      box,
      colour: pick(ranges.colours),
      seed: seed * 3 + 1,
    };
  }
  const shadowStart = between([0.1, 0.5]);
  const shadowFactor = between(ranges.shadowFactor);
  const passingAt = 1 + Math.floor(next() * (SNAPSHOTS_PER_CASE - 1));
  const snapshots: SnapshotSpec[] = [];
  for (let k = 0; k < SNAPSHOTS_PER_CASE; k++) {
    const spec: SnapshotSpec = {
      structure: Boolean(structure),
      lighting: 'day',
      gain: between([0.92, 1.08]),
      noise: between(ranges.noise),
      passers: [],
      seed: seed * 1000 + k,
    };
    if (has('light') || (has('night') && k >= 1)) {
      spec.lighting = has('night')
        ? pick(['night', 'night', 'dusk'] as const)
        : ((['dusk', 'night', 'exposure', 'day'] as const)[k] ?? 'day');
    }
    if (has('dusk')) spec.lighting = 'dusk';
    if (spec.lighting === 'dusk') spec.gain = between(ranges.duskGain);
    if (spec.lighting === 'night') {
      spec.gain = between(ranges.nightGain);
      spec.noise = between(ranges.noise) * 1.8;
    }
    if (spec.lighting === 'exposure') spec.gain = between(ranges.exposure);
    if (has('rain')) spec.rain = { streaks: between(ranges.rainStreaks), darken: between(ranges.rainDarken) };
    if (has('shadow')) {
      // A neighbour's shadow sweeping across the square as the sun moves.
      const x = shadowStart + k * 0.06;
      const g = layout.groundY;
      spec.shadow = {
        points: [
          { x, y: g },
          { x: x + 0.25, y: g },
          { x: x + 0.38, y: layout.roadTop + 0.05 },
          { x: x + 0.1, y: layout.roadTop + 0.05 },
        ],
        factor: shadowFactor,
      };
    }
    if (has('passing') && k === passingAt) spec.passers = makePassers(next, layout);
    if (has('shake') && k > 0) {
      const amount = between(ranges.shakePixels) / 1920;
      const angle = next() * Math.PI * 2;
      spec.shake = {
        dx: Math.cos(angle) * amount,
        dy: Math.sin(angle) * amount,
        degrees: (next() < 0.5 ? -1 : 1) * between(ranges.shakeDegrees),
      };
    }
    snapshots.push(spec);
  }
  return {
    id: `${kind}#${seed}`,
    kind,
    layout,
    structure,
    snapshots,
    watchArea,
    privacyMasks,
    expected: structure ? { finding: true, box: structure.box } : { finding: false },
  };
}

function makePassers(next: () => number, layout: Layout): Passer[] {
  const colours: Rgb[] = [
    [220, 220, 225],
    [40, 90, 170],
    [190, 50, 40],
    [230, 190, 60],
  ];
  const colour = colours[Math.floor(next() * colours.length)] as Rgb;
  if (next() < 0.6) {
    const width = 0.18 + next() * 0.12;
    return [{ kind: 'truck', x: 0.05 + next() * (0.9 - width), y: layout.roadBottom - 0.01, width, height: 0.14 + next() * 0.06, colour }];
  }
  const people: Passer[] = [];
  const count = 3 + Math.floor(next() * 4);
  for (let i = 0; i < count; i++) {
    const y = layout.groundY + 0.06 + next() * (layout.roadTop - layout.groundY - 0.06);
    people.push({ kind: 'person', x: 0.1 + next() * 0.8, y, height: 0.07 + next() * 0.05, colour: colours[Math.floor(next() * 4)] as Rgb });
  }
  return people;
}

const rectPolygon = (b: NBox): Polygon => [
  { x: b.x, y: b.y },
  { x: b.x + b.width, y: b.y },
  { x: b.x + b.width, y: b.y + b.height },
  { x: b.x, y: b.y + b.height },
];

/** `count` cases per kind, seeds from `firstSeed`, in a fixed order. */
export function sceneSet(ranges: SceneRanges, firstSeed: number, count: number): SceneCase[] {
  const cases: SceneCase[] = [];
  let seed = firstSeed;
  for (let i = 0; i < count; i++) for (const kind of SCENE_KINDS) cases.push(makeCase(kind, seed++, ranges));
  return cases;
}

export const tuningSet = (perKind = 3) => sceneSet(TUNING_RANGES, 1, perKind);
export const heldOutSet = (perKind = 4) => sceneSet(HELD_OUT_RANGES, 10_001, perKind);

// The empty street is the slow part to paint; a sequence paints it once.
const worldCache = new Map<string, Canvas>();

function world(layout: Layout, width: number, height: number): Canvas {
  const key = `${layout.seed}:${width}x${height}`;
  let canvas = worldCache.get(key);
  if (!canvas) {
    canvas = paintLayout(layout, width, height);
    if (worldCache.size >= 2) worldCache.delete(worldCache.keys().next().value as string);
    worldCache.set(key, canvas);
  }
  return canvas;
}

/** The baseline: the street in daylight, without the structure. JPEG. */
export function renderBaseline(c: SceneCase, width = 1920, height = 1080): Promise<Buffer> {
  return render(c, { structure: false, lighting: 'day', gain: 1, noise: 2, passers: [], seed: c.layout.seed * 1000 - 1 }, width, height);
}

/** Snapshot `index` (0 … SNAPSHOTS_PER_CASE − 1) of the case. JPEG. */
export function renderSnapshot(c: SceneCase, index: number, width = 1920, height = 1080): Promise<Buffer> {
  const spec = c.snapshots[index];
  if (!spec) throw new RangeError('no such snapshot');
  return render(c, spec, width, height, c.structure);
}

function render(c: SceneCase, spec: SnapshotSpec, width: number, height: number, structure?: Structure): Promise<Buffer> {
  let canvas = copyCanvas(world(c.layout, width, height));
  if (spec.structure && structure) paintStructure(canvas, structure);
  for (const p of spec.passers) paintPasser(canvas, p);
  if (spec.shadow) {
    shade(
      canvas,
      spec.shadow.points.map((p) => ({ x: p.x * width, y: p.y * height })),
      spec.shadow.factor,
      (8 * width) / 1920,
      [0.92, 0.96, 1.08],
    );
  }
  light(canvas, lighting(spec, c.layout, width, height));
  if (spec.rain) {
    const scale = (width * height) / (1920 * 1080);
    rain(canvas, spec.seed, Math.round(spec.rain.streaks * scale), (40 * height) / 1080, 0.18, 0.35);
  }
  sensorNoise(canvas, spec.seed + 1, spec.noise);
  if (spec.shake) canvas = shake(canvas, spec.shake.dx * width, spec.shake.dy * width, spec.shake.degrees);
  return encodeJpeg(canvas, 82);
}

function lighting(spec: SnapshotSpec, layout: Layout, width: number, height: number): Lighting {
  const darken = spec.rain?.darken ?? 1;
  const base: Lighting = { gain: spec.gain * darken, tint: [1, 1, 1], offset: spec.rain ? 18 * (1 - darken) : 0, lamps: [] };
  if (spec.lighting === 'dusk') base.tint = [1.12, 0.94, 0.78];
  if (spec.lighting === 'night') {
    base.tint = [0.85, 0.92, 1.2];
    base.offset += 4;
    base.lamps = layout.lamps.map((l) => ({ x: l.x * width, y: (l.y - 0.15) * height, radius: 0.12 * width, strength: 0.5 }));
  }
  return base;
}
