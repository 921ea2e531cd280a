// The demo county's cameras (issue 16 item 8): Daxi's market town has three cameras (the market's
// east entrance and the old street, both market-town cameras, and the government square's
// public-security camera), and a farm camera watches 冉鲜荣's plum orchard in Pingdiba (Daxi has no
// households in the demo). Every camera stands inside its region's outline, the market town's a few
// hundred metres apart (positionsIn: a position outside throws). A week of pictures, painted by the
// change detector's own scene generator at 640×360 (once per machine: detection/scene-cache.ts
// keeps them in the OS temp folder), two or three a day (one a day on the square), goes through the
// same path as pushed pictures; in the market-town camera's week a shed goes up on the fourth
// morning. Detection runs over it as its job would, so the finding, its case (乱搭乱建, with before and
// after photos) and the Daxi official's confirmation are what a real week leaves; the square's week
// waits in the queue for the job, and so do the old street's last days, where a lean-to goes up the
// day before yesterday: a minute after the server starts a fresh finding waits for a cadre. The
// police liaison's evidence request for the shed's day is approved and packaged through the
// evidence service (monitoring-evidence.demo.ts).
import type { CameraInput } from '@cunzhi/contracts/monitoring';
import type { Principal } from '../../platform/access.ts';
import type { Actor } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { personNamed } from '../org/people.service.ts';
import { regionShapes } from '../org/region-shapes.service.ts';
import type { requireRegion } from '../org/regions.service.ts';
import { userIdByPhone } from '../org/users.service.ts';
import { paintedScene } from './detection/scene-cache.ts';
import { makeCase, type SceneCase, type SnapshotSpec, TUNING_RANGES } from './detection/scenes.ts';
import { registerCamera } from './monitoring-cameras.service.ts';
import { runDetection, warmDetection } from './monitoring-detection.service.ts';
import { demoActing, seedDemoEvidence } from './monitoring-evidence.demo.ts';
import { buildPendingPackages } from './monitoring-evidence-package.service.ts';
import { setFarmSubject } from './monitoring-farm.service.ts';
import { confirmFinding, listFindings } from './monitoring-findings.service.ts';
import { storeSnapshot } from './monitoring-snapshots.service.ts';
import { insideBoundary, interiorPoint, type LngLat } from './region-position.ts';

type Region = Awaited<ReturnType<typeof requireRegion>>;

/** Daxi's township official, who registers Daxi's cameras and confirms the finding. */
export const DEMO_DAXI_OFFICIAL_PHONE = '13800000017';
const PINGDIBA_CADRE_PHONE = '13800000003';
const W = 640;
const H = 360;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The day of the week (0 = seven days ago) on whose morning the shed stands. */
const BUILT_ON = 3;

async function acting(deps: Deps, phone: string): Promise<{ principal: Principal; actor: Actor }> {
  const userId = await userIdByPhone(deps, phone);
  if (!userId) throw new Error(`demo monitoring: no account ${phone}`);
  return demoActing(deps, userId);
}

/** Midnight (Beijing) `daysAgo` days before today's. */
function beijingMidnight(now: number, daysAgo: number): number {
  const today = Date.parse(`${new Date(now + 8 * HOUR).toISOString().slice(0, 10)}T00:00:00+08:00`);
  return today - daysAgo * DAY;
}

type Shot = { at: number; spec: SnapshotSpec };

/**
 * A week at the given hours (`hoursFrom` on the day of BUILT_ON, when there is more to see): light by the
 * hour, the structure from BUILT_ON, a truck now and then. Few pictures: each is painted and
 * compared while the demo county loads.
 */
function week(
  base: SceneCase,
  now: number,
  hours: number[],
  options: { structure: boolean; truckEvery: number; hoursFrom?: number[] },
): Shot[] {
  const shots: Shot[] = [];
  let n = 0;
  for (let day = 0; day < 7; day++) {
    for (const hour of day === BUILT_ON && options.hoursFrom ? options.hoursFrom : hours) {
      const at = beijingMidnight(now, 7 - day) + hour * HOUR;
      const dusk = hour >= 17;
      n++;
      shots.push({
        at,
        spec: {
          structure: options.structure && day >= BUILT_ON,
          lighting: dusk ? 'dusk' : 'day',
          gain: dusk ? 0.55 : 0.94 + ((n * 7) % 10) / 100,
          noise: 2.5,
          passers:
            options.truckEvery > 0 && n % options.truckEvery === 0
              ? [
                  {
                    kind: 'truck',
                    x: 0.15 + ((n * 13) % 50) / 100,
                    y: base.layout.roadBottom - 0.01,
                    width: 0.22,
                    height: 0.16,
                    colour: [40, 90, 170],
                  },
                ]
              : [],
          seed: base.layout.seed * 1000 + n,
        },
      });
    }
  }
  return shots;
}

/** A few pictures at the given days (0 = seven days ago) and hours, in daylight, nobody passing. */
function lastDays(base: SceneCase, now: number, plan: { day: number; hour: number; structure: boolean }[]): Shot[] {
  return plan.map(({ day, hour, structure }, n) => ({
    at: beijingMidnight(now, 7 - day) + hour * HOUR,
    spec: { structure, lighting: 'day', gain: 0.95 + (n % 3) / 100, noise: 2.5, passers: [], seed: base.layout.seed * 1000 + n },
  }));
}

/**
 * Positions inside a region's outline: `offsets` in degrees from a point surely inside it. A
 * position that falls outside is a mistake in the demo, and throws.
 */
async function positionsIn(deps: Deps, region: Region, offsets: LngLat[]): Promise<{ latitude: number; longitude: number }[]> {
  const boundary = (await regionShapes(deps, region.id)).region.boundary;
  if (!boundary) throw new Error(`demo monitoring: ${region.name} has no outline`);
  const [x, y] = interiorPoint(boundary);
  return offsets.map(([dx, dy]) => {
    const at: LngLat = [Math.round((x + dx) * 1e5) / 1e5, Math.round((y + dy) * 1e5) / 1e5];
    if (!insideBoundary(boundary, at)) throw new Error(`demo monitoring: a camera would stand outside ${region.name}`);
    return { longitude: at[0], latitude: at[1] };
  });
}

const polygon = (points: { x: number; y: number }[]) => points.map((p) => [p.x, p.y] as [number, number]);

async function streetCamera(
  deps: Deps,
  who: { principal: Principal; actor: Actor },
  region: Region,
  input: Pick<CameraInput, 'name' | 'purpose' | 'owner' | 'publicSignRef' | 'latitude' | 'longitude' | 'directionDegrees'>,
  base: SceneCase,
  shots: Shot[],
) {
  const { camera } = await registerCamera(deps, who.principal, who.actor, {
    ...input,
    regionId: region.id,
    retentionDays: 90,
    privacyMasks: base.privacyMasks.map(polygon),
    watchArea: polygon(base.watchArea),
    source: 'push',
  });
  const scene: SceneCase = { ...base, snapshots: shots.map((s) => s.spec) };
  const first = (shots[0]?.at ?? deps.now()) - HOUR;
  await storeSnapshot(deps, camera, { data: await paintedScene(scene, -1, W, H), source: 'push', capturedAt: first });
  for (const [i, shot] of shots.entries()) {
    await storeSnapshot(deps, camera, { data: await paintedScene(scene, i, W, H), source: 'push', capturedAt: shot.at });
  }
  return camera;
}

/** An orchard from above, greener by the day: a plain picture, for the farm camera's time-lapse. */
async function orchardPicture(day: number, hour: number): Promise<Buffer> {
  const { default: sharp } = await import('sharp');
  const green = 90 + day * 12;
  const light = hour < 12 ? 0.85 : 1;
  const trees = Array.from({ length: 12 }, (_, i) => {
    const x = 40 + (i % 6) * 100;
    const y = 90 + Math.floor(i / 6) * 150;
    const r = 18 + day * 3;
    return `<circle cx="${x}" cy="${y}" r="${r}" fill="rgb(${Math.round(40 * light)},${Math.round(green * light)},${Math.round(45 * light)})"/>`;
  }).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect width="${W}" height="${H}" fill="rgb(${Math.round(150 * light)},${Math.round(125 * light)},${Math.round(90 * light)})"/>${trees}</svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toBuffer();
}

export async function seedDemoMonitoring(deps: Deps, regionsByCode: Map<string, Region>): Promise<void> {
  const daxi = regionsByCode.get('500242104');
  const pingdibaGroup = regionsByCode.get('500242105201001');
  if (!daxi || !pingdibaGroup) throw new Error('demo monitoring: Daxi or Pingdiba is missing');
  const official = await acting(deps, DEMO_DAXI_OFFICIAL_PHONE);
  // The worker loads while the pictures are painted.
  warmDetection();
  const now = deps.now();
  // The market town's three cameras within a few hundred metres of each other; the orchard in its group.
  const [marketAt, squareAt, streetAt] = await positionsIn(deps, daxi, [
    [0.0012, 0.0005],
    [-0.0011, -0.0007],
    [0.0003, 0.0014],
  ]);
  const [orchardAt] = await positionsIn(deps, pingdibaGroup, [[0, 0]]);
  if (!marketAt || !squareAt || !streetAt || !orchardAt) throw new Error('demo monitoring: no positions');

  const market = makeCase('structure', 7, TUNING_RANGES);
  const marketCamera = await streetCamera(
    deps,
    official,
    daxi,
    {
      name: '大溪集镇农贸市场东口',
      purpose: 'marketTown',
      owner: '大溪镇人民政府',
      publicSignRef: 'DX-JZ-001',
      ...marketAt,
      directionDegrees: 135,
    },
    market,
    week(market, now, [9, 15], { structure: true, truckEvery: 5, hoursFrom: [9, 13, 17] }),
  );
  // The farm camera: 冉鲜荣's household's plum orchard in Pingdiba, two pictures a day.
  const cadre = await acting(deps, PINGDIBA_CADRE_PHONE);
  const { camera: farm } = await registerCamera(deps, cadre.principal, cadre.actor, {
    regionId: pingdibaGroup.id,
    name: '冉鲜荣家脆红李果园',
    purpose: 'farm',
    owner: '冉鲜荣',
    ...orchardAt,
    directionDegrees: 200,
    retentionDays: 365,
    privacyMasks: [],
    source: 'push',
  });
  for (let day = 0; day < 7; day++) {
    for (const hour of [8, 16]) {
      const at = beijingMidnight(now, 7 - day) + hour * HOUR;
      await storeSnapshot(deps, farm, { data: await orchardPicture(day, hour), source: 'push', capturedAt: at });
    }
  }
  const grower = await personNamed(deps, '冉鲜荣');
  if (grower?.householdId) {
    await setFarmSubject(deps, cadre.principal, cadre.actor, farm.id, {
      householdId: grower.householdId,
      kind: 'plot',
      label: '脆红李果园',
    });
  }

  // Detection over the week, as the job does it; then the official confirms what it found.
  while ((await runDetection(deps, { maxBatches: 50 })) > 0);
  const found = await listFindings(deps, official.principal, official.actor, { cameraId: marketCamera.id, limit: 5 });
  for (const finding of found.items) {
    await confirmFinding(deps, official.principal, official.actor, finding.id, {
      note: '经现场核实，为未经审批的临时棚房，已告知当事人限期拆除',
    });
  }

  // The square's week is left in the queue: the detection job compares it once the server runs
  // (a public-security camera where nothing is built), so the demo's load does not wait for it.
  const square = makeCase('passing', 8, TUNING_RANGES);
  await streetCamera(
    deps,
    official,
    daxi,
    {
      name: '大溪镇政府广场',
      purpose: 'publicSecurity',
      owner: '大溪派出所',
      publicSignRef: 'DX-ZA-003',
      ...squareAt,
      directionDegrees: 270,
    },
    square,
    week(square, now, [10], { structure: false, truckEvery: 3 }),
  );

  // The old street's last days, left to the job too: a lean-to from the day before yesterday's
  // morning, so the finding it makes (at its third picture) stays open for a cadre to act on.
  const street = makeCase('structure', 3, TUNING_RANGES);
  await streetCamera(
    deps,
    official,
    daxi,
    {
      name: '大溪集镇老街口',
      purpose: 'marketTown',
      owner: '大溪镇人民政府',
      publicSignRef: 'DX-JZ-002',
      ...streetAt,
      directionDegrees: 0,
    },
    street,
    lastDays(street, now, [
      { day: 4, hour: 10, structure: false },
      { day: 5, hour: 10, structure: true },
      { day: 5, hour: 16, structure: true },
      { day: 6, hour: 10, structure: true },
      { day: 6, hour: 16, structure: true },
    ]),
  );

  // The police liaison asks for the pictures of the day the shed went up; the official approves.
  const builtDay = beijingMidnight(now, 7 - BUILT_ON);
  await seedDemoEvidence(deps, {
    cameraId: marketCamera.id,
    approverUserId: official.principal.userId,
    from: builtDay - DAY,
    to: builtDay + DAY,
  });
  await buildPendingPackages(deps);
}
