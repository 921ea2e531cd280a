// The phone pages marked `plain` in router.tsx are drawn without antd (AppLayout gives them no antd
// provider, so an antd component there would show in antd's default theme: 14 px text, 32 px
// buttons, the wrong colours). This follows each one's imports, its lazy ones included, and fails
// on any path to antd: use components/Button.tsx and the plain pieces in components/Light.tsx, or
// take the `plain` mark off the route.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const src = path.resolve(import.meta.dirname, '..');
const router = fs.readFileSync(path.join(src, 'app/router.tsx'), 'utf8');

function plainPages(): { load: string; file: string }[] {
  const pages = [];
  for (const [, load] of router.matchAll(/handle: \{ load: (\w+), plain: true[,} ]/g)) {
    const source = new RegExp(`const ${load} = \\(\\) =>\\s*import\\('([^']+)'\\)`).exec(router)?.[1];
    if (!source) throw new Error(`${load} is not a lazy import in router.tsx`);
    pages.push({ load: load as string, file: path.resolve(src, 'app', source) });
  }
  return pages;
}

/** Every way from a file to antd, through relative imports (static and lazy). */
function pathsToAntd(file: string, seen = new Set<string>(), trail: string[] = []): string[] {
  if (seen.has(file)) return [];
  seen.add(file);
  const text = fs.readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const [, spec] of text.matchAll(/(?:^import[^'"]*?from\s*|^export[^'"]*?from\s*|import\()\s*'([^']+)'/gm)) {
    if (spec === undefined) continue;
    const here = [...trail, path.relative(src, file)];
    if (spec === 'antd' || spec.startsWith('antd/')) found.push([...here, spec].join(' → '));
    else if (spec.startsWith('.')) {
      const target = path.resolve(path.dirname(file), spec);
      if (fs.existsSync(target)) found.push(...pathsToAntd(target, seen, here));
    }
  }
  return found;
}

describe('plain phone pages', () => {
  const pages = plainPages();

  it('are the phone pages (home, report, my reports, tasks, points, family, rounds, services, notices, messages, signed-in devices, the police liaison’s evidence, the farm’s four)', () => {
    expect(pages.map((p) => p.load).sort()).toEqual(
      [
        'loadApplicationPage',
        'loadDevicesPage',
        'loadEvidencePage',
        'loadFamilyCallPage',
        'loadFamilyCarePage',
        'loadFarmQuestionPage',
        'loadFarmQuestionsPage',
        'loadHomeDevicePage',
        'loadHomePage',
        'loadMyCasesPage',
        'loadMyFarmPage',
        'loadMyPointsPage',
        'loadNoticesPage',
        'loadNotificationsPage',
        'loadPovertySelfReportPage',
        'loadPovertyVisitsPage',
        'loadObservePage',
        'loadReportPage',
        'loadRoundsPage',
        'loadServicesPage',
        'loadTasksPage',
      ].sort(),
    );
  });

  it.each(pages.map((p) => [p.load, p.file]))('%s reaches no antd', (_load, file) => {
    expect(pathsToAntd(file)).toEqual([]);
  });

  it('finds antd where it is (the check itself works)', () => {
    expect(pathsToAntd(path.join(src, 'components/AntdTheme.tsx')).length).toBeGreaterThan(0);
  });
});
