// Every word the pages ask for by a fixed key exists in Chinese and in English, and the Chinese
// words a page needs arrive with the app (app/i18n.zh.ts, lib/i18n-shared.ts) or with that page's
// own feature (its words.ts): a key outside both would show as the key itself.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { agriZh } from '../features/agri/i18n.ts';
import { totpZh } from '../features/auth/i18n.ts';
import { callsZh } from '../features/calls/i18n.ts';
import { careZh } from '../features/care/i18n.ts';
import { casesZh } from '../features/cases/i18n.ts';
import { dashboardZh } from '../features/dashboard/i18n.ts';
import { evidenceZh } from '../features/evidence/i18n.ts';
import { monitoringZh } from '../features/monitoring/i18n.ts';
import { noticesZh } from '../features/notices/i18n.ts';
import { pointsZh } from '../features/points/i18n.ts';
import { povertyZh } from '../features/poverty/i18n.ts';
import { servicesZh } from '../features/services/i18n.ts';
import { sharedWordsZh } from '../lib/i18n-shared.ts';
import { offlineWordsEn, offlineWordsZh } from '../lib/offline-words.ts';
import { enTranslation } from './i18n.en.ts';
import { zh as appWords } from './i18n.zh.ts';

const SRC = path.resolve(import.meta.dirname, '..');
const FEATURE_WORDS: Record<string, object> = {
  agri: agriZh,
  auth: totpZh,
  calls: callsZh,
  care: careZh,
  cases: casesZh,
  dashboard: dashboardZh,
  evidence: evidenceZh,
  monitoring: monitoringZh,
  notices: noticesZh,
  points: pointsZh,
  poverty: povertyZh,
  services: servicesZh,
};

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

const has = (words: object, key: string): boolean => {
  let node: unknown = words;
  for (const part of key.split('.')) {
    if (node === null || typeof node !== 'object' || !(part in node)) return false;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string';
};

/** The fixed keys a file asks for: t('a.b') and t("a.b"), not keys built from values. */
const keysOf = (text: string) => [...text.matchAll(/\bt\(\s*['"]([\w.]+)['"]/g)].map((m) => m[1] as string);

describe('the words of the web app', () => {
  it('has every fixed key in Chinese where the page gets its words, and in English', () => {
    const missing: string[] = [];
    let checked = 0;
    for (const file of sourceFiles(SRC)) {
      const text = fs.readFileSync(file, 'utf8');
      const feature = /features\/(\w+)\//.exec(file)?.[1];
      // Only a file that brings a feature's words (imports its words.ts) may use them.
      const brought = [...text.matchAll(/import '((?:\.\.?\/)+)(?:(\w+)\/)?words\.ts'/g)].map((m) => m[2] ?? feature);
      // A file that asks for the offline namespace gets its words from there, in both languages.
      const offline = text.includes("useTranslation('offline')");
      const sources = offline
        ? [offlineWordsZh]
        : [appWords, sharedWordsZh, ...brought.flatMap((f) => (f && FEATURE_WORDS[f] ? [FEATURE_WORDS[f]] : []))];
      for (const key of keysOf(text)) {
        checked++;
        if (!sources.some((words) => has(words, key))) missing.push(`${path.relative(SRC, file)}: zh ${key}`);
        if (!has(offline ? offlineWordsEn : enTranslation, key)) missing.push(`${path.relative(SRC, file)}: en ${key}`);
      }
    }
    expect(missing).toEqual([]);
    expect(checked).toBeGreaterThan(300);
  });
});

describe('the big home button', () => {
  // Every page's one way home says 回到首页 (the unknown-address page, the error page, the services
  // and report pages); the no-access page and the two-step page said 返回首页, so a newcomer met two
  // names for one button.
  it('is called 回到首页 on every page, never 返回首页', () => {
    const files = sourceFiles(SRC);
    const other = files.filter((file) => fs.readFileSync(file, 'utf8').includes('返回首页')).map((file) => path.relative(SRC, file));
    expect(other).toEqual([]);
    expect(files.some((file) => fs.readFileSync(file, 'utf8').includes('回到首页'))).toBe(true);
  });
});

describe("antd's number steppers", () => {
  // Their ▲▼ buttons are labelled "Increase Value" and "Decrease Value" in English whatever the
  // locale (rc-input-number writes the words itself), and are 22 px targets: every number box is
  // typed into instead, with the phone's number keyboard.
  it('are turned off on every number box', () => {
    const boxes = sourceFiles(SRC).flatMap((file) =>
      [...fs.readFileSync(file, 'utf8').matchAll(/<InputNumber\b[^>]*/g)].map((m) => ({ file: path.relative(SRC, file), tag: m[0] })),
    );
    expect(boxes.filter((box) => !box.tag.includes('controls={false}'))).toEqual([]);
    expect(boxes.length).toBeGreaterThan(10);
  });
});
