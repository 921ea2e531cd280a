// First-load JavaScript of every phone page stays within 250 KB compressed: what a cheap phone on a
// village network downloads and parses before the page shows. Read from the build's manifest (the
// browser project's set-up builds the app): the entry and the app's start with their static imports,
// the layout behind the login, and the page's own lazy chunk with its static imports, each counted
// once, gzip level 9.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';

type ManifestEntry = { file: string; isEntry?: boolean; imports?: string[]; dynamicImports?: string[] };
const dist = path.resolve(import.meta.dirname, '../dist');
const BUDGET_KB = 250;
const LAYOUT = 'src/app/AppLayout.tsx';
const START = 'src/app/start.tsx';

/** The phone pages (router.tsx), each with the chunks its route loads on first load. */
const PHONE_PAGES: Record<string, string[]> = {
  '/login': ['src/features/auth/components/LoginPage.tsx'],
  '/': [LAYOUT, 'src/app/HomePage.tsx'],
  '/m/report': [LAYOUT, 'src/features/cases/components/ReportPage.tsx'],
  '/m/cases': [LAYOUT, 'src/features/cases/components/MyCasesPage.tsx'],
  '/m/tasks': [LAYOUT, 'src/features/cases/components/TasksPage.tsx'],
  '/m/points': [LAYOUT, 'src/features/points/components/MyPointsPage.tsx'],
  '/m/family': [LAYOUT, 'src/features/care/components/FamilyCarePage.tsx'],
  '/m/rounds': [LAYOUT, 'src/features/care/components/RoundsPage.tsx'],
  '/m/services': [LAYOUT, 'src/features/services/components/ServicesPage.tsx'],
  '/m/services/applications/:id': [LAYOUT, 'src/features/services/components/ApplicationPage.tsx'],
  '/m/notices': [LAYOUT, 'src/features/notices/components/NoticesPage.tsx'],
  '/notifications': [LAYOUT, 'src/features/notifications/components/NotificationsPage.tsx'],
  '/m/cameras': [LAYOUT, 'src/features/monitoring/components/LiveViewPage.tsx'],
  '/m/farm': [LAYOUT, 'src/features/monitoring/components/FarmPage.tsx'],
  '/m/agri': [LAYOUT, 'src/features/agri/components/MyFarmPage.tsx'],
  '/m/agri/observe': [LAYOUT, 'src/features/agri/components/ObservePage.tsx'],
  '/m/agri/questions': [LAYOUT, 'src/features/agri/components/FarmQuestionsPage.tsx'],
  '/m/agri/questions/:id': [LAYOUT, 'src/features/agri/components/FarmQuestionPage.tsx'],
};

const manifest = JSON.parse(fs.readFileSync(path.join(dist, '.vite/manifest.json'), 'utf8')) as Record<string, ManifestEntry>;
const gzipped = new Map<string, number>();
const gzipSize = (file: string) => {
  let size = gzipped.get(file);
  if (size === undefined) {
    size = zlib.gzipSync(fs.readFileSync(path.join(dist, file)), { level: 9 }).length;
    gzipped.set(file, size);
  }
  return size;
};

/** A chunk and what it imports statically, transitively (what the browser must have before it runs). */
function staticClosure(key: string, seen = new Set<string>()): Set<string> {
  if (seen.has(key)) return seen;
  const entry = manifest[key];
  if (!entry) throw new Error(`${key} is not in the build manifest`);
  seen.add(key);
  for (const dep of entry.imports ?? []) staticClosure(dep, seen);
  return seen;
}

const entryKey = Object.keys(manifest).find((key) => manifest[key]?.isEntry) ?? 'index.html';
const firstLoad = Object.entries(PHONE_PAGES).map(([route, sources]) => {
  // The entry imports the app's start (React DOM, the providers) at once, and index.html preloads it.
  const keys = new Set([...staticClosure(entryKey), ...staticClosure(START), ...sources.flatMap((source) => [...staticClosure(source)])]);
  const files = new Set([...keys].map((key) => manifest[key]?.file ?? key).filter((file) => file.endsWith('.js')));
  const bytes = [...files].reduce((sum, file) => sum + gzipSize(file), 0);
  return { route, kb: Math.round(bytes / 102.4) / 10, files: files.size };
});

describe('first-load JavaScript of the phone pages', () => {
  it('is printed', () => {
    const lines = firstLoad.map((page) => `  ${page.route.padEnd(32)} ${String(page.kb).padStart(6)} KB  (${page.files} files)`);
    process.stdout.write(`\nFirst-load JavaScript, gzip (budget ${BUDGET_KB} KB):\n${lines.join('\n')}\n`);
    expect(firstLoad.length).toBe(Object.keys(PHONE_PAGES).length);
  });

  it.each(firstLoad)('$route loads at most 250 KB compressed ($kb KB)', ({ kb }) => {
    expect(kb).toBeLessThanOrEqual(BUDGET_KB);
  });
});
