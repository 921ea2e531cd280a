import { describe, expect, it } from 'vitest';
import { formatFigure, formatRate, shorten } from './figures.ts';
import { wallTime } from './stage.tsx';

describe('figures on the wall', () => {
  it('groups thousands, keeps a decimal only below 100, and writes 万 and 亿 for large figures', () => {
    expect(formatFigure(0)).toBe('0');
    expect(formatFigure(24.94)).toBe('24.9');
    expect(formatFigure(24.96)).toBe('25');
    expect(formatFigure(1089.3)).toBe('1,089');
    expect(formatFigure(99_999)).toBe('99,999');
    expect(formatFigure(136_000)).toBe('13.6万');
    expect(formatFigure(1_074_000)).toBe('107.4万');
    expect(formatFigure(1_000_000)).toBe('100万');
    expect(formatFigure(125_000_000)).toBe('1.25亿');
    expect(formatFigure(-65)).toBe('-65');
    expect(formatFigure(null)).toBe('—');
    expect(formatFigure(Number.NaN)).toBe('—');
  });

  it('writes a share as a percentage, and nothing to divide as a dash', () => {
    expect(formatRate(0.9253)).toBe('92.5%');
    expect(formatRate(1)).toBe('100%');
    expect(formatRate(0.99996)).toBe('100%');
    expect(formatRate(0)).toBe('0%');
    expect(formatRate(null)).toBe('—');
  });

  it('shortens a name to a width in ems, its ellipsis included, and leaves one that fits', () => {
    expect(shorten('洗衣粉', 5)).toBe('洗衣粉');
    expect(shorten('金龙鱼食用调和油', 5)).toBe('金龙鱼食…');
    expect(shorten('独居老人需要上门看看', 10)).toBe('独居老人需要上门看看');
    expect(shorten('独居老人需要上门看看吧', 10)).toBe('独居老人需要上门看…');
    // Latin letters and digits are about 0.6 em each.
    expect(shorten('5L装花生油', 5)).toBe('5L装花…');
    expect(shorten('ABCDEFGHIJK', 6)).toBe('ABCDEFGH…');
  });

  it('tells the time in Beijing, whatever the wall’s own time zone', () => {
    // 2026-12-02 12:09 UTC is 20:09 on a Wednesday in Beijing.
    const at = Date.UTC(2026, 11, 2, 12, 9);
    expect(wallTime(at, false)).toBe('2026年12月2日 星期三 20:09');
    expect(wallTime(at, true)).toBe('2026-12-02 Wed 20:09');
    // Past midnight in Beijing is the next day.
    expect(wallTime(Date.UTC(2026, 11, 2, 16, 30), false)).toBe('2026年12月3日 星期四 00:30');
  });
});
