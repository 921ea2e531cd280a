import type { Notice } from '@cunzhi/contracts/notices';
import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { audienceWords, type NamedPlaces } from './audience-words.ts';
import { noticesEn } from './i18n.en.ts';
import { noticesZh } from './i18n.ts';

const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.init({
    lng: 'zh-CN',
    resources: { 'zh-CN': { translation: noticesZh }, en: { translation: noticesEn } },
    interpolation: { escapeValue: false },
    showSupportNotice: false,
  });
});

const VILLAGE = '01900000-0000-7000-8000-000000000001';
const GROUP_1 = '01900000-0000-7000-8000-000000000002';
const cadre: NamedPlaces = { home: { regionId: VILLAGE, regionName: '平地坝村' }, named: [{ id: GROUP_1, name: '一组' }] };

const audience = (over: Partial<Notice['audience']> = {}): Notice['audience'] => ({
  regionIds: [],
  gridIds: [],
  traits: [],
  personIds: [],
  households: 0,
  subjects: [],
  ...over,
});
const zh = (a: Notice['audience']) => audienceWords(a, cadre, i18n.getFixedT('zh-CN'), 'zh-CN');

describe('who a notice went to, on its card', () => {
  it('says 全体 only for a notice to the whole village', () => {
    expect(zh(audience())).toBe('平地坝村全体');
    expect(zh(audience({ regionIds: [VILLAGE] }))).toBe('平地坝村');
  });

  it("names the crop or animal of the demo's farm advice, never 全体", () => {
    const plums = audience({ households: 3, subjects: ['plum'] });
    expect(zh(plums)).toBe('平地坝村 · 种李子的户');
    expect(zh(audience({ households: 27, subjects: ['pricklyAsh'] }))).toBe('平地坝村 · 种花椒的户');
    expect(zh(audience({ households: 5, subjects: ['forestChicken'] }))).toBe('平地坝村 · 养林下鸡的户');
    expect(audienceWords(plums, cadre, i18n.getFixedT('en'), 'en')).toBe('平地坝村 · households growing plum');
  });

  it('counts the households the server chose when it does not say by what', () => {
    expect(zh(audience({ households: 3 }))).toBe('平地坝村 · 指定3户');
  });

  it('puts a household trait after the place instead of 全体', () => {
    expect(zh(audience({ traits: ['hasElder'] }))).toBe('平地坝村 · 有老人');
    expect(zh(audience({ regionIds: [GROUP_1], traits: ['keepsPigs', 'growsTea'] }))).toBe('一组 · 养猪户、种茶户');
  });

  it('names groups and counts chosen people, and never says 全体 for them', () => {
    expect(zh(audience({ regionIds: [GROUP_1] }))).toBe('一组');
    expect(zh(audience({ personIds: [GROUP_1, VILLAGE] }))).toBe('指定2人');
    expect(zh(audience({ regionIds: [GROUP_1, '01900000-0000-7000-8000-000000000009'] }))).toBe('一组、另1处');
    for (const a of [audience({ personIds: [GROUP_1] }), audience({ regionIds: [GROUP_1] }), audience({ households: 1 })]) {
      expect(zh(a)).not.toContain('全体');
    }
  });
});
