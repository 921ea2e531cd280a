// The solar terms against published dates (Beijing time, 中国科学院紫金山天文台 / 香港天文台 tables),
// the weather conditions' thresholds and the feed's formats, and advice matching: pure rules.
import { describe, expect, it } from 'vitest';
import { householdsConcerned, ruleHoldsToday } from './advice-match.ts';
import { solarTermAround, solarTermsOfYear, sunLongitude } from './solar-terms.ts';
import { conditionsByDay, parseFeed } from './weather.ts';

const termDate = (year: number, term: string) => solarTermsOfYear(year).find((t) => t.term === term)?.date;

describe('solar terms (二十四节气)', () => {
  it('falls on the published Beijing dates', () => {
    expect(termDate(2024, 'lichun')).toBe('2024-02-04');
    expect(termDate(2024, 'jingzhe')).toBe('2024-03-05');
    expect(termDate(2024, 'xiazhi')).toBe('2024-06-21');
    expect(termDate(2024, 'dongzhi')).toBe('2024-12-21');
    expect(termDate(2024, 'xiaohan')).toBe('2024-01-06');
    expect(termDate(2025, 'xiaohan')).toBe('2025-01-05');
    expect(termDate(2025, 'chunfen')).toBe('2025-03-20');
    expect(termDate(2023, 'qiufen')).toBe('2023-09-23');
    expect(termDate(2022, 'liqiu')).toBe('2022-08-07');
    expect(termDate(2026, 'qingming')).toBe('2026-04-05');
  });

  it('lists 24 terms a year in date order, from 小寒 to 冬至', () => {
    const terms = solarTermsOfYear(2026);
    expect(terms).toHaveLength(24);
    expect(terms[0]?.term).toBe('xiaohan');
    expect(terms[23]?.term).toBe('dongzhi');
    for (let i = 1; i < 24; i++) expect((terms[i]?.at ?? 0) > (terms[i - 1]?.at ?? 0)).toBe(true);
    expect(terms.every((t) => t.date.startsWith('2026-'))).toBe(true);
  });

  it('knows the term in force and the next one', () => {
    // 2024 冬至 was 21 December 17:20 Beijing time.
    const before = solarTermAround(Date.parse('2024-12-21T17:00:00+08:00'));
    expect(before.current.term).toBe('daxue');
    expect(before.next.term).toBe('dongzhi');
    const after = solarTermAround(Date.parse('2024-12-21T17:40:00+08:00'));
    expect(after.current.term).toBe('dongzhi');
    expect(after.current.date).toBe('2024-12-21');
    expect(after.next.term).toBe('xiaohan');
    expect(sunLongitude(Date.parse('2025-03-20T17:01:00+08:00'))).toBeLessThan(0.05);
  });
});

/** The feed's days are checked against today: these tests read it on 2 December 2026. */
const FEED_NOW = Date.parse('2026-12-02T04:00:00Z');

describe('weather conditions', () => {
  const day = (date: string, minTempC: number, maxTempC: number, rainMm = 0) => ({ date, minTempC, maxTempC, rainMm, named: [] });

  it('derives frost, heat, heavy rain and a cold snap from the figures', () => {
    const days = conditionsByDay([
      day('2026-12-01', 12, 18),
      day('2026-12-02', 3, 8),
      day('2026-12-03', -1, 4),
      day('2026-07-20', 26, 36),
      day('2026-07-21', 22, 28, 80),
    ]);
    expect(days.get('2026-12-01')).toEqual([]);
    // 12 → 3 within a day: a fall of 9 °C to 3 °C.
    expect(days.get('2026-12-02')).toEqual(['coldSnap']);
    expect(days.get('2026-12-03')).toEqual(['frost', 'coldSnap']);
    expect(days.get('2026-07-20')).toEqual(['heat']);
    expect(days.get('2026-07-21')).toEqual(['heavyRain']);
    // A cold day after a cold day is no snap: the fall is what counts.
    expect(conditionsByDay([day('2026-12-01', 4, 8), day('2026-12-02', 2, 6)]).get('2026-12-02')).toEqual([]);
  });

  it('reads the CSV and JSON feeds, and stops at the first bad line', () => {
    const csv =
      'region_code,date,min_temp_c,max_temp_c,rain_mm,conditions\n500242105,2026-12-03,-2,5,0,\n500242105,2026-12-04,1,6,55,heavyRain\n';
    const rows = parseFeed(csv, 'csv', FEED_NOW);
    expect(Array.isArray(rows) && rows.length).toBe(2);
    expect(parseFeed(csv.replace('1,6,55', 'x,6,55'), 'csv', FEED_NOW)).toEqual({ line: 3, problem: 'minTempC' });
    expect(parseFeed('date,region_code\n', 'csv', FEED_NOW)).toEqual({ line: 1, problem: 'header' });
    expect(
      parseFeed('{"entries":[{"regionCode":"500242105","date":"2026-12-03","minTempC":5,"maxTempC":2,"rainMm":0}]}', 'json', FEED_NOW),
    ).toEqual({
      line: 1,
      problem: 'maxTempC',
    });
    expect(
      parseFeed(
        '{"entries":[{"regionCode":"500242105","date":"2026-12-03","minTempC":1,"maxTempC":2,"rainMm":0,"conditions":["hail"]}]}',
        'json',
        FEED_NOW,
      ),
    ).toEqual({ line: 1, problem: 'conditions' });
    expect(parseFeed('not json', 'json', FEED_NOW)).toEqual({ line: 1, problem: 'json' });
    // Days that do not exist, or lie beyond the window weather is kept for, name the line and never the input.
    expect(parseFeed(csv.replace('2026-12-04', '2026-02-30'), 'csv', FEED_NOW)).toEqual({ line: 3, problem: 'date not a date' });
    expect(parseFeed(csv.replace('2026-12-04', '2099-12-04'), 'csv', FEED_NOW)).toEqual({ line: 3, problem: 'date too far ahead' });
    expect(parseFeed(csv.replace('2026-12-04', '2026-12-18'), 'csv', FEED_NOW)).toEqual({ line: 3, problem: 'date too far ahead' });
    expect(Array.isArray(parseFeed(csv.replace('2026-12-04', '2026-12-17'), 'csv', FEED_NOW))).toBe(true);
    expect(parseFeed(csv.replace('2026-12-03', '1999-12-03'), 'csv', FEED_NOW)).toEqual({ line: 2, problem: 'date too far back' });
  });
});

describe('advice matching', () => {
  const rule = { subjects: ['forestChicken' as const], growthStages: [], months: [], solarTerms: [], weather: ['coldSnap' as const] };
  const today = { month: 12, solarTerm: 'xiaoxue' as const };
  const subjects = [
    { householdId: 'h-chicken', subject: 'forestChicken' as const, growthStage: 'rearing', weatherRegionIds: ['t1'] },
    { householdId: 'h-chicken', subject: 'forestChicken' as const, growthStage: 'laying', weatherRegionIds: ['t1'] },
    { householdId: 'h-tea', subject: 'tea' as const, growthStage: null, weatherRegionIds: ['t1'] },
    { householdId: 'h-far', subject: 'forestChicken' as const, growthStage: null, weatherRegionIds: ['t2'] },
  ];
  const cold = (id: string) => new Set(id === 't1' ? (['coldSnap'] as const) : []);

  it('reaches the households with the subject in a place whose weather meets the rule, each once', () => {
    expect(householdsConcerned(rule, today, subjects, cold)).toEqual(['h-chicken']);
    expect(householdsConcerned({ ...rule, weather: [] }, today, subjects, cold)).toEqual(['h-chicken', 'h-far']);
    expect(householdsConcerned({ ...rule, weather: [], growthStages: ['laying'] }, today, subjects, cold)).toEqual(['h-chicken']);
    expect(householdsConcerned({ ...rule, months: [6] }, today, subjects, cold)).toEqual([]);
  });

  it('holds on its months and solar terms', () => {
    expect(ruleHoldsToday({ ...rule, months: [12], solarTerms: ['xiaoxue', 'daxue'] }, today)).toBe(true);
    expect(ruleHoldsToday({ ...rule, solarTerms: ['qingming'] }, today)).toBe(false);
  });
});
