// lib/i18n.ts keeps i18next's list of languages to look in per language (i18next worked it out again
// on every t()). The words must still follow the language chosen, there and back, and a t() that
// names its own language must still get that language.
import { beforeAll, describe, expect, it, vi } from 'vitest';

const stored = new Map<string, string>();
vi.stubGlobal('localStorage', {
  getItem: (key: string) => stored.get(key) ?? null,
  setItem: (key: string, value: string) => void stored.set(key, value),
  removeItem: (key: string) => void stored.delete(key),
});
vi.stubGlobal('document', { documentElement: { lang: 'zh-CN' } });

const { default: i18n, switchLanguage } = await import('./i18n.ts');
await import('../app/i18n.ts');

describe('the words follow the language', () => {
  beforeAll(async () => {
    await switchLanguage('zh-CN');
  });

  it('looks in zh-CN, then zh, while Chinese is chosen', () => {
    expect(i18n.languages).toEqual(['zh-CN', 'zh']);
    expect(i18n.t('points.nav.mine')).toBe('我的积分');
  });

  it('switches to English and back, as often as asked', async () => {
    for (let round = 0; round < 2; round++) {
      await switchLanguage('en');
      expect(i18n.languages[0]).toBe('en');
      expect(i18n.t('nav.home')).toBe('Home');
      await switchLanguage('zh-CN');
      expect(i18n.languages).toEqual(['zh-CN', 'zh']);
      expect(i18n.t('points.nav.mine')).toBe('我的积分');
    }
  });

  it('gives a t() that names its language that language, and falls back to Chinese for a missing word', async () => {
    await switchLanguage('en');
    await switchLanguage('zh-CN');
    expect(i18n.t('nav.home', { lng: 'en' })).toBe('Home');
    i18n.addResourceBundle('zh-CN', 'translation', { onlyInChinese: '只有中文' }, true, false);
    expect(i18n.t('onlyInChinese', { lng: 'en' })).toBe('只有中文');
  });
});
