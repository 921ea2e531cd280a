import { describe, expect, it } from 'vitest';
import type { IncomingReading } from './care-ingest.service.ts';
import { checkReading, type Reading } from './care-rules.ts';
import { CareSimulator } from './care-simulator.ts';

const HOUR = 3_600_000;
const devices = Array.from({ length: 40 }, (_, i) => [
  { serial: `S-BR-${i}`, kind: 'bracelet' },
  { serial: `S-SOS-${i}`, kind: 'sosButton' },
]).flat();

describe('the care simulator', () => {
  it('sends a believable day: every reading passes the checks, none twice, heart rates lower at night', () => {
    const start = Date.parse('2026-11-20T16:00:00Z'); // midnight in Shanghai
    const simulator = new CareSimulator(devices, start, { seed: 7 });
    const all: IncomingReading[] = [];
    for (let t = start + 30_000; t <= start + 24 * HOUR; t += 30_000) all.push(...simulator.tick(t));
    const keys = new Set(all.map((r) => `${r.device}|${r.kind}|${r.at}`));
    expect(keys.size).toBe(all.length);
    for (const r of all) {
      const reading: Reading = { kind: r.kind, value1: r.value ?? null, value2: r.value2 ?? null, at: Date.parse(r.at) };
      expect(checkReading(reading, start + 24 * HOUR)).toBeNull();
    }
    const heart = (fromHour: number, toHour: number) => {
      const rates = all
        .filter((r) => r.kind === 'heartRate')
        .filter((r) => {
          const hour = (Date.parse(r.at) - start) / HOUR;
          return hour >= fromHour && hour < toHour;
        })
        .map((r) => r.value as number);
      return rates.reduce((a, b) => a + b, 0) / rates.length;
    };
    expect(heart(1, 5)).toBeLessThan(heart(9, 17));
    // Every bracelet that is not silent reports heart rate every five minutes: 288 a day.
    const talking = 40 - simulator.silent.length;
    expect(all.filter((r) => r.kind === 'heartRate').length).toBe(talking * 288);
    expect(all.filter((r) => r.kind === 'bloodPressure').length).toBe(talking * 3);
    for (const serial of simulator.silent) expect(all.some((r) => r.device === serial)).toBe(false);
  });

  it('brings falls, SOS calls and high readings when they are made likely', () => {
    const start = Date.parse('2026-11-20T22:00:00Z'); // 06:00 in Shanghai
    const simulator = new CareSimulator(devices, start, {
      seed: 3,
      silentShare: 0.2,
      odds: { fall: 0.5, sos: 0.5, highHeartRun: 0.5, highPressure: 0.2, lowSugar: 0.1 },
    });
    const all: IncomingReading[] = [];
    for (let t = start + 60_000; t <= start + 12 * HOUR; t += 60_000) all.push(...simulator.tick(t));
    const kinds = new Set(all.map((r) => r.kind));
    for (const kind of ['fall', 'sos', 'okPress', 'glucose', 'battery', 'steps']) expect(kinds).toContain(kind);
    expect(all.some((r) => r.kind === 'heartRate' && (r.value as number) >= 125)).toBe(true);
    expect(all.some((r) => r.kind === 'bloodPressure' && (r.value as number) >= 180)).toBe(true);
    expect(simulator.silent.length).toBeGreaterThan(0);
  });
});
