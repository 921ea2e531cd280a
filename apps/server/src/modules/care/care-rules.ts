// What a reading means: whether it is believable, whether it shows the elder active, and which
// alarms it raises. Pure rules with the county defaults; the service applies them.

import type { CARE_READING_KINDS, DEVICE_KINDS } from '@cunzhi/contracts/care';

export type ReadingKind = (typeof CARE_READING_KINDS)[number];

export type Reading = { kind: ReadingKind; value1: number | null; value2: number | null; at: number };

/** Values no body or device produces: refused, never stored, never alarmed. */
const PLAUSIBLE: Partial<Record<ReadingKind, [[number, number], [number, number]?]>> = {
  bloodPressure: [
    [50, 260],
    [30, 160],
  ],
  heartRate: [[20, 250]],
  glucose: [[1, 35]],
  steps: [[0, 100_000]],
  battery: [[0, 100]],
};

/**
 * What each kind of device can measure or be pressed for: a reading of another kind under its serial
 * is refused (a home speaker has no sensor, so its key cannot bring blood pressures or falls; attacker
 * recheck). A speaker takes the elder's spoken call for help and "I'm OK".
 */
const DEVICE_READINGS: Record<(typeof DEVICE_KINDS)[number], readonly ReadingKind[]> = {
  bracelet: ['bloodPressure', 'heartRate', 'glucose', 'steps', 'motion', 'fall', 'sos', 'okPress', 'battery'],
  sosButton: ['sos', 'fall', 'okPress', 'battery'],
  doorSensor: ['door', 'motion', 'battery'],
  camera: ['motion', 'fall'],
  speaker: ['sos', 'okPress'],
};

/** Whether a device of this kind can send a reading of that kind (an unknown device kind: nothing). */
export function deviceSends(deviceKind: string, readingKind: ReadingKind): boolean {
  return (DEVICE_READINGS as Record<string, readonly ReadingKind[] | undefined>)[deviceKind]?.includes(readingKind) ?? false;
}

export type ReadingProblem = 'implausible_value' | 'missing_value' | 'unexpected_value' | 'from_the_future' | 'too_old';

export function checkReading(reading: Reading, now: number): ReadingProblem | null {
  if (reading.at > now + 5 * 60_000) return 'from_the_future';
  if (reading.at < now - 7 * 24 * 3_600_000) return 'too_old';
  const ranges = PLAUSIBLE[reading.kind] ?? [];
  const values = [reading.value1, reading.value2];
  // A value the kind does not measure (a second one beside a heart rate, any beside an SOS) means the
  // device is not saying what we think: refused rather than stored unread (attacker).
  if (values.some((value, index) => value !== null && value !== undefined && ranges[index] === undefined)) return 'unexpected_value';
  for (const [index, range] of ranges.entries()) {
    const value = values[index];
    if (range === undefined) continue;
    if (value === null || value === undefined || !Number.isFinite(value)) return 'missing_value';
    if (value < range[0] || value > range[1]) return 'implausible_value';
  }
  if (!plausibleTogether(reading)) return 'implausible_value';
  return null;
}

/**
 * What a reading's values must be beside each other, each within its range: a heart can't push a
 * diastolic pressure at or above the systolic one, nor can a pedometer count half a step.
 */
function plausibleTogether(reading: Reading): boolean {
  if (reading.kind === 'bloodPressure') return bloodPressurePlausible(reading.value1 ?? 0, reading.value2 ?? 0);
  if (reading.kind === 'steps') return Number.isInteger(reading.value1);
  return true;
}

/** Diastolic below systolic; a visit's blood pressure is held to it as a gateway's is. */
export const bloodPressurePlausible = (systolic: number, diastolic: number): boolean => diastolic < systolic;

/** The person moved: steps, motion, a door, a button. A heart rate alone says the bracelet is on, not that anyone stirred. */
export function isActivity(reading: Reading): boolean {
  if (reading.kind === 'steps') return (reading.value1 ?? 0) > 0;
  return reading.kind === 'motion' || reading.kind === 'door' || reading.kind === 'okPress' || reading.kind === 'sos';
}

/** A call for help or a fall: stored and announced before the routine readings queued with it. */
export function isUrgent(reading: Reading): boolean {
  return reading.kind === 'sos' || reading.kind === 'fall';
}

export type Severity = 'critical' | 'high' | 'medium' | 'low';

export type Cause =
  | 'systolicHigh'
  | 'systolicLow'
  | 'heartHigh'
  | 'heartLow'
  | 'glucoseLow'
  | 'glucoseHigh'
  | 'fall'
  | 'sos'
  | 'inactivity'
  | 'lowBattery'
  | 'deviceOffline';

export const SEVERITY: Record<Cause, Severity> = {
  sos: 'critical',
  fall: 'critical',
  systolicHigh: 'high',
  systolicLow: 'high',
  heartHigh: 'high',
  heartLow: 'high',
  glucoseLow: 'high',
  glucoseHigh: 'medium',
  inactivity: 'high',
  lowBattery: 'low',
  deviceOffline: 'medium',
};

/** Who hears of an alarm nobody has taken on, step by step: the family first, the doctor last. */
export const ESCALATION_CHAIN = ['family', 'caretaker', 'gridWorker', 'villageCadre', 'doctor'] as const;
export type EscalationStep = (typeof ESCALATION_CHAIN)[number];

export type Threshold = { cause: Cause; kind: ReadingKind; above?: number; below?: number; forMs: number };

/** County defaults: systolic ≥ 180 or ≤ 90; heart rate ≥ 120 or ≤ 45 for 5 minutes; glucose ≤ 3.9 or ≥ 16.7 mmol/L. */
export const THRESHOLDS: Threshold[] = [
  { cause: 'systolicHigh', kind: 'bloodPressure', above: 180, forMs: 0 },
  { cause: 'systolicLow', kind: 'bloodPressure', below: 90, forMs: 0 },
  { cause: 'heartHigh', kind: 'heartRate', above: 120, forMs: 5 * 60_000 },
  { cause: 'heartLow', kind: 'heartRate', below: 45, forMs: 5 * 60_000 },
  { cause: 'glucoseLow', kind: 'glucose', below: 3.9, forMs: 0 },
  { cause: 'glucoseHigh', kind: 'glucose', above: 16.7, forMs: 0 },
];

export const LOW_BATTERY_PERCENT = 15;

/** What an elder's own rules may change of a county default: its limit, its duration, or switch it off. */
export type RuleOverride = { limit?: number; forMinutes?: number; enabled?: boolean };
export type ElderRules = Partial<Record<Cause, RuleOverride>>;

/** The causes whose rule an elder may tune: the thresholds, low battery (percent) and inactivity (hours). */
export const TUNABLE_CAUSES = [...THRESHOLDS.map((t) => t.cause), 'lowBattery', 'inactivity'] as const;

/** Values a rule's limit can sensibly take, per cause (a limit outside is refused). */
export const LIMIT_RANGES: Partial<Record<Cause, [number, number]>> = {
  systolicHigh: [120, 250],
  systolicLow: [60, 120],
  heartHigh: [80, 200],
  heartLow: [30, 70],
  glucoseLow: [2, 7],
  glucoseHigh: [7, 33],
  lowBattery: [5, 50],
  inactivity: [2, 168],
};

/** The rules that apply to one elder: the county defaults with the elder's own changes. */
export type EffectiveRules = { thresholds: Threshold[]; lowBatteryPercent: number | null };

export const COUNTY_RULES: EffectiveRules = { thresholds: THRESHOLDS, lowBatteryPercent: LOW_BATTERY_PERCENT };

export function effectiveRules(overrides: ElderRules | null): EffectiveRules {
  if (!overrides) return COUNTY_RULES;
  const thresholds: Threshold[] = [];
  for (const rule of THRESHOLDS) {
    const own = overrides[rule.cause];
    if (own?.enabled === false) continue;
    thresholds.push({
      ...rule,
      ...(own?.limit !== undefined && (rule.above !== undefined ? { above: own.limit } : { below: own.limit })),
      ...(own?.forMinutes !== undefined && { forMs: own.forMinutes * 60_000 }),
    });
  }
  const battery = overrides.lowBattery;
  return { thresholds, lowBatteryPercent: battery?.enabled === false ? null : (battery?.limit ?? LOW_BATTERY_PERCENT) };
}

/** The hours without activity after which an elder's inactivity alarm goes out; 0 when switched off. */
export function inactivityHoursOf(overrides: ElderRules | null, countyHours: number): number {
  const own = overrides?.inactivity;
  if (own?.enabled === false) return 0;
  return own?.limit ?? countyHours;
}

/** Whether a value is past a threshold: at or above its upper limit, at or below its lower one. */
export function crosses(rule: Threshold, value: number): boolean {
  return (rule.above !== undefined && value >= rule.above) || (rule.below !== undefined && value <= rule.below);
}

export type Effect =
  | { type: 'raise'; cause: Cause; value: number | null }
  /** A fall waits for "I'm OK" before it goes out. */
  | { type: 'pendingFall' }
  | { type: 'cancelFall' }
  /** Threshold crossed (or not) by a rule with a duration: the service keeps when the breach began. */
  | { type: 'breach'; cause: Cause; forMs: number; value: number }
  | { type: 'clear'; cause: Cause };

export function effectsOf(reading: Reading, rules: EffectiveRules = COUNTY_RULES): Effect[] {
  const effects: Effect[] = [];
  if (reading.kind === 'sos') effects.push({ type: 'raise', cause: 'sos', value: null });
  if (reading.kind === 'fall') effects.push({ type: 'pendingFall' });
  if (reading.kind === 'okPress') effects.push({ type: 'cancelFall' });
  if (reading.kind === 'battery' && rules.lowBatteryPercent !== null && (reading.value1 ?? 100) <= rules.lowBatteryPercent) {
    effects.push({ type: 'raise', cause: 'lowBattery', value: reading.value1 });
  }
  for (const rule of rules.thresholds) {
    if (rule.kind !== reading.kind) continue;
    const value = reading.value1 as number;
    if (!crosses(rule, value)) effects.push({ type: 'clear', cause: rule.cause });
    else if (rule.forMs === 0) effects.push({ type: 'raise', cause: rule.cause, value });
    else effects.push({ type: 'breach', cause: rule.cause, forMs: rule.forMs, value });
  }
  return effects;
}
