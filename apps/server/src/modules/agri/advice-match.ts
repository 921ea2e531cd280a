// Which advice applies: a rule holds today when its months, solar terms and weather (each list, if
// not empty) match today's, and it concerns a household when one of the household's plots or
// flocks is of a subject the rule names, at a growth stage it names (if it names any). Weather is
// the household's township's (or, without one, the county's) for today and the two days ahead.
import type { AdviceSubject, SolarTerm, WeatherCondition } from '@cunzhi/contracts/agri';

export type RuleConditions = {
  subjects: AdviceSubject[];
  growthStages: string[];
  months: number[];
  solarTerms: SolarTerm[];
  weather: WeatherCondition[];
};

export type Today = { month: number; solarTerm: SolarTerm };

export type FarmSubject = { householdId: string; subject: AdviceSubject; growthStage: string | null; weatherRegionIds: string[] };

const holds = <T>(wanted: readonly T[], value: T) => wanted.length === 0 || wanted.includes(value);

/** Whether the rule's calendar holds today (month and solar term); weather is asked per place. */
export function ruleHoldsToday(rule: RuleConditions, today: Today): boolean {
  return holds(rule.months, today.month) && holds(rule.solarTerms, today.solarTerm);
}

/** Whether the weather of a place meets the rule (a rule naming no weather holds anywhere). */
export function weatherHolds(rule: RuleConditions, conditions: ReadonlySet<WeatherCondition>): boolean {
  return rule.weather.length === 0 || rule.weather.some((c) => conditions.has(c));
}

/**
 * The households a rule concerns today, each once: those with a subject of the rule at one of its
 * stages, in a place whose weather meets it. `weatherOf` gives a region's conditions.
 */
export function householdsConcerned(
  rule: RuleConditions,
  today: Today,
  subjects: readonly FarmSubject[],
  weatherOf: (regionId: string) => ReadonlySet<WeatherCondition>,
): string[] {
  if (!ruleHoldsToday(rule, today)) return [];
  const chosen = new Set<string>();
  for (const s of subjects) {
    if (chosen.has(s.householdId)) continue;
    if (!rule.subjects.includes(s.subject)) continue;
    if (rule.growthStages.length > 0 && (s.growthStage === null || !rule.growthStages.includes(s.growthStage))) continue;
    const conditions = new Set<WeatherCondition>(s.weatherRegionIds.flatMap((id) => [...weatherOf(id)]));
    if (!weatherHolds(rule, conditions)) continue;
    chosen.add(s.householdId);
  }
  return [...chosen].sort();
}
