// The world of the synthetic market-town scenes: a street of shop houses behind a gravel square and
// a road, all in normalised coordinates (0–1 of the picture) so that one layout paints at any size.
// What a camera sees changes on top of it (scenes.ts): a new structure, passers-by, light, weather.
import { boundsOf, type Canvas, convexCoverage, createCanvas, fillRect, paint, type Rgb, random, type Texture } from './scene-painter.ts';

export type NBox = { x: number; y: number; width: number; height: number };

type Building = { box: NBox; colour: Rgb; wall: 'bricks' | 'plaster' | 'tiles'; rows: number; cols: number; sign?: Rgb; roof: Rgb };

export type Layout = {
  seed: number;
  /** Where the buildings stand on the ground. */
  groundY: number;
  roadTop: number;
  roadBottom: number;
  buildings: Building[];
  tree: { x: number; y: number; r: number };
  lamps: { x: number; y: number }[];
};

export type StructureKind = 'shed' | 'wall' | 'storey' | 'container';
export type Structure = { kind: StructureKind; box: NBox; colour: Rgb; seed: number };

const WALLS: Rgb[] = [
  [214, 208, 196],
  [188, 120, 96],
  [160, 160, 156],
  [226, 218, 190],
  [176, 186, 196],
];

export function makeLayout(seed: number): Layout {
  const next = random(seed * 7919 + 13);
  const between = (a: number, b: number) => a + (b - a) * next();
  const groundY = between(0.5, 0.58);
  const buildings: Building[] = [];
  for (let x = -between(0, 0.05); x < 1; ) {
    const width = between(0.1, 0.22);
    const top = between(0.16, 0.32);
    buildings.push({
      box: { x, y: top, width: width - 0.004, height: groundY - top },
      colour: WALLS[Math.floor(next() * WALLS.length)] as Rgb,
      wall: (['bricks', 'plaster', 'tiles'] as const)[Math.floor(next() * 3)] ?? 'plaster',
      rows: 2 + Math.floor(next() * 2),
      cols: 2 + Math.floor(next() * 3),
      sign: next() < 0.6 ? ([[180, 40, 40] as Rgb, [40, 70, 160] as Rgb, [200, 160, 40] as Rgb][Math.floor(next() * 3)] as Rgb) : undefined,
      roof: [70 + next() * 30, 70 + next() * 20, 75 + next() * 20],
    });
    x += width;
  }
  return {
    seed,
    groundY,
    roadTop: between(0.76, 0.8),
    roadBottom: between(0.92, 0.96),
    buildings,
    tree: { x: between(0.05, 0.95), y: groundY - 0.02, r: between(0.04, 0.07) },
    lamps: [0.2, 0.5, 0.8].map((x) => ({ x: x + between(-0.05, 0.05), y: groundY + 0.02 })),
  };
}

/** Pixels from normalised coordinates. */
const px = (c: Canvas, b: NBox) => ({ x: b.x * c.width, y: b.y * c.height, width: b.width * c.width, height: b.height * c.height });

/** The empty street in daylight. */
export function paintLayout(layout: Layout, width: number, height: number): Canvas {
  const c = createCanvas(width, height);
  const s = width / 1920;
  const seed = layout.seed * 101;
  // Sky, brighter at the horizon, with clouds.
  paint(c, { x: 0, y: 0, width, height: layout.groundY * height }, () => 1, [150, 180, 215], {
    kind: 'noise',
    seed,
    scale: 260 * s,
    amplitude: 0.18,
  });
  // Ground: gravel square, pavement, road with lane marks, verge.
  const ground = layout.groundY;
  fillRect(c, px(c, { x: 0, y: ground, width: 1, height: layout.roadTop - ground }), [150, 138, 118], {
    kind: 'noise',
    seed: seed + 1,
    scale: 18 * s,
    amplitude: 0.42,
  });
  fillRect(c, px(c, { x: 0, y: ground, width: 1, height: 0.035 }), [176, 172, 164], {
    kind: 'bricks',
    seed: seed + 2,
    brick: 9 * s,
    amplitude: 0.14,
  });
  fillRect(c, px(c, { x: 0, y: layout.roadTop, width: 1, height: layout.roadBottom - layout.roadTop }), [92, 92, 96], {
    kind: 'noise',
    seed: seed + 3,
    scale: 10 * s,
    amplitude: 0.3,
  });
  const laneY = (layout.roadTop + layout.roadBottom) / 2;
  for (let x = 0.02; x < 1; x += 0.12) fillRect(c, px(c, { x, y: laneY, width: 0.06, height: 0.008 }), [225, 225, 215]);
  fillRect(c, px(c, { x: 0, y: layout.roadBottom, width: 1, height: 1 - layout.roadBottom }), [96, 130, 70], {
    kind: 'noise',
    seed: seed + 4,
    scale: 8 * s,
    amplitude: 0.45,
  });
  for (const [i, b] of layout.buildings.entries()) paintBuilding(c, b, seed + 10 + i * 5, s);
  // A tree and lamp posts in front.
  const t = layout.tree;
  const trunk = px(c, { x: t.x - 0.006, y: t.y - 0.1, width: 0.012, height: 0.1 });
  fillRect(c, trunk, [90, 64, 44], { kind: 'noise', seed: seed + 5, scale: 6 * s, amplitude: 0.2 });
  const r = t.r * width;
  const cx = t.x * width;
  const cy = (t.y - 0.1) * height - r * 0.6;
  paint(
    c,
    { x: cx - r, y: cy - r, width: 2 * r, height: 2 * r },
    (x, y) => (Math.hypot(x - cx, y - cy) < r * (0.85 + 0.15 * Math.sin(x * 0.3)) ? 1 : 0),
    [70, 110, 60],
    {
      kind: 'noise',
      seed: seed + 6,
      scale: 7 * s,
      amplitude: 0.5,
    },
  );
  for (const lamp of layout.lamps) fillRect(c, px(c, { x: lamp.x - 0.002, y: lamp.y - 0.2, width: 0.004, height: 0.2 }), [60, 60, 64]);
  return c;
}

function paintBuilding(c: Canvas, b: Building, seed: number, s: number): void {
  const box = px(c, b.box);
  const texture: Texture =
    b.wall === 'bricks'
      ? { kind: 'bricks', seed, brick: 8 * s, amplitude: 0.16 }
      : b.wall === 'tiles'
        ? { kind: 'bricks', seed, brick: 14 * s, amplitude: 0.08 }
        : { kind: 'noise', seed, scale: 30 * s, amplitude: 0.12 };
  fillRect(c, box, b.colour, texture);
  fillRect(c, { x: box.x - 4 * s, y: box.y - 10 * s, width: box.width + 8 * s, height: 14 * s }, b.roof, {
    kind: 'corrugated',
    seed: seed + 1,
    pitch: 6 * s,
    amplitude: 0.15,
  });
  const storeyH = box.height / (b.rows + 1);
  for (let row = 0; row < b.rows; row++) {
    for (let col = 0; col < b.cols; col++) {
      const w = box.width / (b.cols * 2 + 1);
      const win = { x: box.x + w * (col * 2 + 1), y: box.y + storeyH * (row + 0.3), width: w, height: storeyH * 0.55 };
      fillRect(c, { x: win.x - 2 * s, y: win.y - 2 * s, width: win.width + 4 * s, height: win.height + 4 * s }, [235, 235, 230]);
      fillRect(c, win, [60, 75, 90], { kind: 'noise', seed: seed + 2 + row * 17 + col, scale: 12 * s, amplitude: 0.35 });
    }
  }
  const ground = { y: box.y + storeyH * b.rows, height: storeyH };
  if (b.sign)
    fillRect(c, { x: box.x + box.width * 0.08, y: ground.y, width: box.width * 0.84, height: storeyH * 0.22 }, b.sign, {
      kind: 'bricks',
      seed: seed + 3,
      brick: 10 * s,
      amplitude: 0.3,
    });
  fillRect(c, { x: box.x + box.width * 0.35, y: ground.y + storeyH * 0.3, width: box.width * 0.3, height: storeyH * 0.7 }, [70, 60, 55], {
    kind: 'planks',
    seed: seed + 4,
    plank: 10 * s,
    amplitude: 0.2,
    vertical: true,
  });
}

/** Paints a new structure; its box is where it stands in the picture. */
export function paintStructure(c: Canvas, st: Structure): void {
  const s = c.width / 1920;
  const box = px(c, st.box);
  const dark: Rgb = [st.colour[0] * 0.55, st.colour[1] * 0.55, st.colour[2] * 0.55];
  const next = random(st.seed);
  switch (st.kind) {
    case 'shed': {
      const roofH = box.height * 0.3;
      fillRect(c, { x: box.x, y: box.y + roofH, width: box.width, height: box.height - roofH }, st.colour, {
        kind: 'planks',
        seed: st.seed,
        plank: (8 + next() * 10) * s,
        amplitude: 0.22,
        vertical: next() < 0.5,
      });
      const roof = [
        { x: box.x - 4 * s, y: box.y + roofH },
        { x: box.x + box.width * 0.15, y: box.y },
        { x: box.x + box.width * 0.85, y: box.y },
        { x: box.x + box.width + 4 * s, y: box.y + roofH },
      ];
      paint(c, boundsOf(roof), convexCoverage(roof, 1), dark, { kind: 'corrugated', seed: st.seed + 1, pitch: 7 * s, amplitude: 0.2 });
      const door = {
        x: box.x + box.width * (0.2 + next() * 0.4),
        y: box.y + box.height * 0.55,
        width: box.width * 0.22,
        height: box.height * 0.45,
      };
      fillRect(c, door, dark, { kind: 'planks', seed: st.seed + 2, plank: 6 * s, amplitude: 0.2, vertical: true });
      return;
    }
    case 'wall':
      fillRect(c, box, st.colour, { kind: 'bricks', seed: st.seed, brick: (7 + next() * 6) * s, amplitude: 0.2 });
      fillRect(c, { x: box.x - 3 * s, y: box.y, width: box.width + 6 * s, height: 8 * s }, dark);
      return;
    case 'container':
      fillRect(c, box, st.colour, { kind: 'corrugated', seed: st.seed, pitch: (8 + next() * 6) * s, amplitude: 0.18 });
      fillRect(c, { x: box.x, y: box.y, width: box.width, height: 6 * s }, dark);
      fillRect(c, { x: box.x + box.width - 10 * s, y: box.y, width: 10 * s, height: box.height }, dark);
      return;
    case 'storey': {
      fillRect(c, box, st.colour, { kind: 'noise', seed: st.seed, scale: 25 * s, amplitude: 0.12 });
      const cols = 2 + Math.floor(next() * 3);
      const w = box.width / (cols * 2 + 1);
      for (let col = 0; col < cols; col++) {
        fillRect(c, { x: box.x + w * (col * 2 + 1), y: box.y + box.height * 0.3, width: w, height: box.height * 0.45 }, [55, 70, 85]);
      }
      fillRect(c, { x: box.x - 4 * s, y: box.y - 8 * s, width: box.width + 8 * s, height: 10 * s }, dark);
      return;
    }
  }
}

export type Passer =
  | { kind: 'truck'; x: number; y: number; width: number; height: number; colour: Rgb }
  | { kind: 'person'; x: number; y: number; height: number; colour: Rgb };

export function paintPasser(c: Canvas, p: Passer): void {
  const s = c.width / 1920;
  if (p.kind === 'person') {
    const h = p.height;
    fillRect(c, px(c, { x: p.x - h * 0.09, y: p.y - h * 0.8, width: h * 0.18, height: h * 0.5 }), p.colour);
    fillRect(c, px(c, { x: p.x - h * 0.07, y: p.y - h * 0.3, width: h * 0.14, height: h * 0.3 }), [50, 50, 60]);
    fillRect(c, px(c, { x: p.x - h * 0.06, y: p.y - h, width: h * 0.12, height: h * 0.2 }), [200, 160, 130]);
    return;
  }
  const box = px(c, { x: p.x, y: p.y - p.height, width: p.width, height: p.height });
  const cab = { x: box.x + box.width * 0.75, y: box.y + box.height * 0.3, width: box.width * 0.25, height: box.height * 0.6 };
  fillRect(c, { x: box.x, y: box.y, width: box.width * 0.74, height: box.height * 0.9 }, p.colour, {
    kind: 'corrugated',
    seed: 3,
    pitch: 12 * s,
    amplitude: 0.05,
  });
  fillRect(c, cab, [200, 200, 205]);
  fillRect(c, { x: cab.x + cab.width * 0.3, y: cab.y + 6 * s, width: cab.width * 0.6, height: cab.height * 0.35 }, [40, 50, 60]);
  for (const wx of [0.15, 0.6, 0.85]) {
    const r = box.height * 0.12;
    const cx = box.x + box.width * wx;
    const cy = box.y + box.height * 0.9;
    paint(c, { x: cx - r, y: cy - r, width: 2 * r, height: 2 * r }, (x, y) => (Math.hypot(x - cx, y - cy) < r ? 1 : 0), [25, 25, 25]);
  }
}
