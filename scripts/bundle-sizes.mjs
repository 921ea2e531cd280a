// After `vite build`: writes .gz and .br beside every asset (served pre-compressed), prints what
// each page loads, and fails the build when the login or phone pages load more than the budget.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const dist = path.resolve(process.argv[2] ?? 'dist');
const manifest = JSON.parse(fs.readFileSync(path.join(dist, '.vite/manifest.json'), 'utf8'));
const BUDGET_KB = 250;

// Pages that must stay light: the login page and the pages villagers and grid workers use on a phone.
// Every page behind the login also loads the app layout.
const LAYOUT = 'src/app/AppLayout.tsx';
const PAGES = {
  login: { sources: ['src/features/auth/components/LoginPage.tsx'], budget: true },
  'households (phone)': { sources: [LAYOUT, 'src/features/org/components/HouseholdsPage.tsx'], budget: true },
  'household detail (phone)': { sources: [LAYOUT, 'src/features/org/components/HouseholdDetailPage.tsx'], budget: true },
  'home (phone landing)': { sources: [LAYOUT, 'src/app/HomePage.tsx'], budget: true },
  'home with chart drawn': { sources: [LAYOUT, 'src/app/HomePage.tsx'], chart: true, budget: false },
  'report (phone)': { sources: [LAYOUT, 'src/features/cases/components/ReportPage.tsx'], budget: true },
  'my reports (phone)': { sources: [LAYOUT, 'src/features/cases/components/MyCasesPage.tsx'], budget: true },
  'grid tasks (phone)': { sources: [LAYOUT, 'src/features/cases/components/TasksPage.tsx'], budget: true },
  'case detail (phone)': { sources: [LAYOUT, 'src/features/cases/components/CaseDetailPage.tsx'], budget: true },
  'messages (phone)': { sources: [LAYOUT, 'src/features/notifications/components/NotificationsPage.tsx'], budget: true },
  'my points (phone)': { sources: [LAYOUT, 'src/features/points/components/MyPointsPage.tsx'], budget: true },
  'family care (phone)': { sources: [LAYOUT, 'src/features/care/components/FamilyCarePage.tsx'], budget: true },
  'caretaker rounds (phone)': { sources: [LAYOUT, 'src/features/care/components/RoundsPage.tsx'], budget: true },
  'services (phone)': { sources: [LAYOUT, 'src/features/services/components/ServicesPage.tsx'], budget: true },
  'application (phone)': { sources: [LAYOUT, 'src/features/services/components/ApplicationPage.tsx'], budget: true },
  'notices (phone)': { sources: [LAYOUT, 'src/features/notices/components/NoticesPage.tsx'], budget: true },
  'points keeper': { sources: [LAYOUT, 'src/features/points/components/KeeperPage.tsx'], budget: false },
  'public village page': { sources: ['src/features/public/components/PublicPages.tsx'], budget: true },
  'cases desk': { sources: [LAYOUT, 'src/features/cases/components/CasesDeskPage.tsx'], budget: false },
  'appeal statistics with chart': { sources: [LAYOUT, 'src/features/cases/components/StatisticsPage.tsx'], chart: true, budget: false },
  regions: { sources: [LAYOUT, 'src/features/org/components/RegionsPage.tsx'], budget: false },
  people: { sources: [LAYOUT, 'src/features/org/components/PeoplePage.tsx'], budget: false },
  users: { sources: [LAYOUT, 'src/features/org/components/UsersPage.tsx'], budget: false },
  audit: { sources: [LAYOUT, 'src/features/audit/components/AuditPage.tsx'], budget: false },
};

const gzipSize = new Map();
for (const file of fs.readdirSync(path.join(dist, 'assets'))) {
  if (!/\.(js|css|svg)$/.test(file)) continue;
  const full = path.join(dist, 'assets', file);
  const body = fs.readFileSync(full);
  const gz = zlib.gzipSync(body, { level: 9 });
  fs.writeFileSync(`${full}.gz`, gz);
  fs.writeFileSync(`${full}.br`, zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }));
  gzipSize.set(`assets/${file}`, gz.length);
}
for (const file of ['index.html']) {
  const body = fs.readFileSync(path.join(dist, file));
  fs.writeFileSync(path.join(dist, `${file}.gz`), zlib.gzipSync(body));
  fs.writeFileSync(path.join(dist, `${file}.br`), zlib.brotliCompressSync(body));
}

/** The JS a chunk pulls in before it runs: itself and its static imports, transitively. */
function closure(key, seen = new Set()) {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const dep of manifest[key]?.imports ?? []) closure(dep, seen);
  return seen;
}

const entry = Object.keys(manifest).find((k) => manifest[k].isEntry);
// The entry imports the app's start (React DOM, the providers) at once, and index.html preloads it.
const START = 'src/app/start.tsx';
if (!manifest[START]) throw new Error(`not in the build manifest: ${START}`);
const base = closure(START, closure(entry));
const kb = (bytes) => (bytes / 1024).toFixed(1);
const rows = [];
let failed = false;
for (const [name, page] of Object.entries(PAGES)) {
  const missing = page.sources.filter((source) => !manifest[source]);
  if (missing.length > 0) throw new Error(`not in the build manifest: ${missing.join(', ')}`);
  const keys = [...base, ...page.sources.flatMap((source) => [...closure(source)])];
  // ECharts comes in through dynamic imports, only on pages that draw a chart.
  if (page.chart) {
    const chart = 'src/components/EChart.tsx';
    keys.push(...closure(chart), ...(manifest[chart].dynamicImports ?? []).flatMap((dep) => [...closure(dep)]));
  }
  const files = new Set(keys.map((k) => manifest[k].file));
  const total = [...files].reduce((sum, file) => sum + (gzipSize.get(file) ?? 0), 0);
  const over = page.budget && total > BUDGET_KB * 1024;
  failed ||= over;
  rows.push({ page: name, 'JS gzip KB': kb(total), budget: page.budget ? `${BUDGET_KB} KB ${over ? 'OVER' : 'ok'}` : '-' });
}
console.log('\nJavaScript each page loads (gzip):');
console.table(rows);
if (failed) {
  console.error(`A login or phone page loads more than ${BUDGET_KB} KB of compressed JavaScript.`);
  process.exit(1);
}
