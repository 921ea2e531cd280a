// A fleet of virtual devices with an elder's day in them, so that the demo's charts and alarms are
// alive: heart rate every five minutes (lower at night, higher when about), steps while awake,
// blood pressure morning, noon and evening, glucose before breakfast, a battery that runs down and
// is charged at night; now and then a run of fast heart beats, a high blood pressure, low sugar, a
// fall (mostly followed by "I'm OK"), an SOS; and a few bracelets that have gone silent.
import { localHour } from '../../platform/time.ts';
import type { IncomingReading } from './care-ingest.service.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const SHANGHAI = 8 * HOUR;

export type SimulatedDevice = { serial: string; kind: string };

/** Chances per device and hour of the rarer events. */
export type SimulatorOdds = { highHeartRun: number; fall: number; sos: number; highPressure: number; lowSugar: number };

const DEFAULT_ODDS: SimulatorOdds = { highHeartRun: 0.004, fall: 0.001, sos: 0.0005, highPressure: 0.02, lowSugar: 0.01 };

/** A small, fast, seeded random source (mulberry32), so that a run can be repeated. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type State = { device: SimulatedDevice; offset: number; base: number; silent: boolean; fastUntil: number; battery: number };

export class CareSimulator {
  private readonly random: () => number;
  private readonly states: State[];
  private last: number;

  constructor(
    devices: SimulatedDevice[],
    start: number,
    private readonly options: { seed?: number; silentShare?: number; odds?: Partial<SimulatorOdds> } = {},
  ) {
    this.random = seeded(options.seed ?? 20_260_528);
    const silentShare = options.silentShare ?? 0.05;
    this.states = devices.map((device, index) => ({
      device,
      // Devices report at their own minute of each five, not all at once.
      offset: Math.floor(this.random() * 5) * MINUTE + index * 997,
      base: 62 + Math.floor(this.random() * 18),
      silent: device.kind === 'bracelet' && this.random() < silentShare,
      fastUntil: 0,
      battery: 40 + Math.floor(this.random() * 60),
    }));
    this.last = start;
  }

  /** The serials of the bracelets that have gone silent (their device-offline alarm is expected). */
  get silent(): string[] {
    return this.states.filter((s) => s.silent).map((s) => s.device.serial);
  }

  /** The readings the fleet produced from the last call until `now`. */
  tick(now: number): IncomingReading[] {
    const from = this.last;
    this.last = now;
    if (now <= from) return [];
    const odds = { ...DEFAULT_ODDS, ...this.options.odds };
    const hours = (now - from) / HOUR;
    const readings: IncomingReading[] = [];
    const chance = (perHour: number) => this.random() < perHour * hours;
    for (const state of this.states) {
      if (state.silent) continue;
      const { serial } = state.device;
      const push = (kind: IncomingReading['kind'], at: number, value?: number, value2?: number) =>
        readings.push({
          device: serial,
          kind,
          at: new Date(at).toISOString(),
          ...(value !== undefined && { value }),
          ...(value2 !== undefined && { value2 }),
        });
      if (state.device.kind === 'sosButton') {
        if (chance(odds.sos)) push('sos', now);
        continue;
      }
      if (state.device.kind !== 'bracelet') continue;
      // Scheduled readings: each on its own grid, every one whose moment falls in (from, now].
      for (let at = nextOnGrid(from, 5 * MINUTE, state.offset); at <= now; at += 5 * MINUTE) {
        const hour = localHour(at);
        const awake = hour >= 6 && hour < 21;
        if (!awake || this.random() > 0.9) {
          // Asleep, or sitting still: the heart rate alone.
        } else push('steps', at, Math.round(20 + this.random() * 300));
        const fast = at < state.fastUntil;
        const rate = fast ? 125 + Math.round(this.random() * 15) : state.base + (awake ? 8 : -6) + Math.round(this.random() * 10);
        push('heartRate', at, rate);
        const minute = Math.floor(((at + SHANGHAI) % HOUR) / MINUTE);
        if ([7, 12, 19].includes(hour) && minute < 5) {
          const high = this.random() < odds.highPressure * 8;
          push(
            'bloodPressure',
            at,
            high ? 182 + Math.round(this.random() * 20) : 122 + Math.round(this.random() * 28),
            72 + Math.round(this.random() * 16),
          );
        }
        if (hour === 7 && minute < 5) {
          const low = this.random() < odds.lowSugar * 24;
          push('glucose', at, low ? 3.4 : Math.round((5 + this.random() * 3.5) * 10) / 10);
        }
        if (minute < 5) {
          // The battery runs down by day and is charged overnight.
          state.battery = hour === 6 ? 100 : Math.max(5, state.battery - 2);
          push('battery', at, state.battery);
        }
      }
      if (chance(odds.highHeartRun)) state.fastUntil = now + 12 * MINUTE;
      if (chance(odds.fall)) {
        push('fall', now);
        // Mostly the elder is fine and presses "I'm OK" in time; the rest go out as alarms.
        if (this.random() < 0.7) push('okPress', now);
      }
    }
    return readings;
  }
}

/** The first moment after `from` on a grid of `step` shifted by `offset`. */
function nextOnGrid(from: number, step: number, offset: number): number {
  const shift = offset % step;
  return Math.floor((from - shift) / step) * step + shift + step;
}
