// The keeper's spreadsheet reads in one language, the reader's: no "月份 Month" headings, no codes.
import { describe, expect, it } from 'vitest';
import { reportTable } from './points-report-table.ts';

const rows = [
  { month: 202611, regionId: 'g1', category: 'environment', ruleItem: '清扫公共区域', kind: 'grant', points: 30, entries: 3 },
  { month: 202611, regionId: 'gone', category: null, ruleItem: null, kind: 'reversal', points: -5, entries: 1 },
];
const names = new Map([['g1', '一组']]);
const chinese = /[\u4e00-\u9fff]/;

describe('the points report as a spreadsheet', () => {
  it('is all Chinese for a Chinese reader: headings, categories, kinds and group names', () => {
    const [header, first, second] = reportTable(rows, names, 'zh');
    expect(header).toEqual(['月份', '村民小组', '类别', '细则', '类型', '积分', '笔数']);
    expect(first).toEqual(['2026-11', '一组', '环境卫生', '清扫公共区域', '加分', 30, 3]);
    expect(second).toEqual(['2026-11', 'gone', '', '', '冲正', -5, 1]);
  });

  it('is English for an English reader, with no Chinese in its headings or words', () => {
    const [header, first] = reportTable(rows, names, 'en');
    expect(header).toEqual(['Month', 'Villager group', 'Category', 'Rule', 'Kind', 'Points', 'Entries']);
    for (const cell of header ?? []) expect(String(cell)).not.toMatch(chinese);
    expect(first?.slice(2, 5)).toEqual(['Environment', '清扫公共区域', 'Granted']);
  });
});
