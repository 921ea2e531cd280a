// The architecture rules of docs/architecture.md, held by the build. Every source file is parsed
// (TypeScript's own parser, no type checking: a few hundred milliseconds) and every breach is
// listed with where it is and what to do instead, so one run shows all the work left.
//
// When a rule is wrong for a new case, change the rule here and in docs/architecture.md together,
// with the reason beside the exception; do not add a silent skip.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const SERVER = 'apps/server/src';
const WEB = 'apps/web/src';
const SOURCE_ROOTS = [SERVER, WEB, ...packageSourceRoots()];
const MAX_LINES = 400;

/** Files allowed over MAX_LINES, each with its reason. Data and history only: code gets split. */
const LONG_FILES: Record<string, string> = {
  'apps/server/src/db/schema.ts': 'one interface per table of the database; split it and a table hides in two places',
};
const LONG_FILE_PATTERNS: { pattern: RegExp; reason: string }[] = [
  { pattern: /^apps\/server\/src\/db\/migrations\//, reason: 'migrations are history, never edited after they land' },
  { pattern: /\.demo\.ts$/, reason: 'demo seed data: rows of the demo county, read as a table' },
];

type Breach = { file: string; line: number; rule: string; instead: string };

type ImportRef = { spec: string; line: number; typeOnly: boolean; resolved: string | undefined };

type SourceFile = {
  file: string; // relative to ROOT, forward slashes
  text: string;
  ast: ts.SourceFile;
  imports: ImportRef[];
};

function packageSourceRoots(): string[] {
  const packages = path.join(ROOT, 'packages');
  if (!fs.existsSync(packages)) return [];
  return fs
    .readdirSync(packages)
    .map((name) => `packages/${name}/src`)
    .filter((dir) => fs.existsSync(path.join(ROOT, dir)));
}

function walk(dir: string): string[] {
  const absolute = path.join(ROOT, dir);
  if (!fs.existsSync(absolute)) return [];
  return fs
    .readdirSync(absolute, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

const isTest = (file: string) => /\.test\.tsx?$/.test(file);

function resolveImport(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`]) {
    if (fs.existsSync(path.join(ROOT, candidate)) && fs.statSync(path.join(ROOT, candidate)).isFile()) return candidate;
  }
  return base;
}

function lineOf(ast: ts.SourceFile, node: ts.Node): number {
  return ast.getLineAndCharacterOfPosition(node.getStart(ast)).line + 1;
}

function parse(file: string): SourceFile {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const ast = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const imports: ImportRef[] = [];
  const add = (node: ts.Node, spec: string, typeOnly: boolean) =>
    imports.push({ spec, line: lineOf(ast, node), typeOnly, resolved: resolveImport(file, spec) });
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            clause.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((element) => element.isTypeOnly)));
      add(node, node.moduleSpecifier.text, typeOnly);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node, node.moduleSpecifier.text, node.isTypeOnly);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      add(node, node.arguments[0].text, false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node, node.argument.literal.text, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(ast);
  return { file, text, ast, imports };
}

// A file moved away between listing and reading (someone editing while the tests run) is skipped.
const ALL_FILES = SOURCE_ROOTS.flatMap(walk);
const SOURCES = ALL_FILES.filter((file) => !isTest(file) && fs.existsSync(path.join(ROOT, file))).map(parse);

// ---------------------------------------------------------------- the rules

const QUERY_BUILDERS = new Set(['selectFrom', 'insertInto', 'updateTable', 'deleteFrom', 'replaceInto', 'mergeInto']);

/** Where Kysely queries may be built: repositories, and db/ (which holds the migrations). */
const mayBuildQueries = (file: string) => file.startsWith(`${SERVER}/db/`) || file.endsWith('.repository.ts');

function kyselyBreaches(source: SourceFile): Breach[] {
  if (!source.file.startsWith(`${SERVER}/`) || mayBuildQueries(source.file)) return [];
  const breaches: Breach[] = [];
  const instead =
    'move the query into a `*.repository.ts` function of this module (or db/ if it is a SQL primitive shared by all) and call it; ' +
    'a service may only `import type { Kysely, Transaction }` to pass the database or transaction along';
  for (const ref of source.imports) {
    if (ref.spec === 'kysely' && !ref.typeOnly) {
      breaches.push({ file: source.file, line: ref.line, rule: 'value import from kysely outside a repository or db/', instead });
    }
  }
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
      if (name && ts.isPropertyAccessExpression(callee) && QUERY_BUILDERS.has(name)) {
        breaches.push({
          file: source.file,
          line: lineOf(source.ast, node),
          rule: `Kysely query building (${name}) outside a repository`,
          instead,
        });
      } else if (name === 'compiledOnce') {
        breaches.push({ file: source.file, line: lineOf(source.ast, node), rule: 'compiledOnce query outside a repository', instead });
      }
    }
    if (ts.isTaggedTemplateExpression(node) && /^sql\b/.test(node.tag.getText(source.ast))) {
      breaches.push({ file: source.file, line: lineOf(source.ast, node), rule: 'sql`...` template outside a repository', instead });
    }
    ts.forEachChild(node, visit);
  };
  visit(source.ast);
  return breaches;
}

/**
 * Which module owns each table: only its repositories name it. Another module asks the owner's
 * service (names for the ids on a page, the households under a region) instead of joining it.
 * Tables written by platform/ (the audit log's rows, idempotency keys, job leases, running
 * numbers) belong to platform; a module reads them only through platform's functions.
 */
const TABLE_OWNERS: Record<string, string> = {
  regions: 'org',
  grids: 'org',
  grid_groups: 'org',
  households: 'org',
  people: 'org',
  users: 'org',
  role_assignments: 'org',
  departments: 'org',
  work_calendars: 'org',
  credentials: 'auth',
  sms_login_codes: 'auth',
  login_failures: 'auth',
  sessions: 'auth',
  api_keys: 'auth',
  screen_keys: 'dashboard',
  login_challenges: 'auth',
  user_totp: 'auth',
  totp_recovery_codes: 'auth',
  audit_log: 'audit',
  audit_chain: 'audit',
  audit_chain_head: 'audit',
  cases: 'cases',
  case_categories: 'cases',
  case_events: 'cases',
  case_me_too: 'cases',
  case_photos: 'cases',
  case_rollups: 'cases',
  case_area_rollups: 'cases',
  case_daily_stats: 'cases',
  points_rules: 'points',
  points_accounts: 'points',
  points_ledger: 'points',
  points_claims: 'points',
  points_claim_photos: 'points',
  points_appeals: 'points',
  points_goods: 'points',
  points_redemptions: 'points',
  care_elders: 'care',
  care_devices: 'care',
  care_family_links: 'care',
  care_readings: 'care',
  care_breaches: 'care',
  care_alarms: 'care',
  care_visits: 'care',
  care_missed_visits: 'care',
  care_reminders: 'care',
  care_commands: 'care',
  care_reading_rollups: 'care',
  care_rollup_marks: 'care',
  care_home_devices: 'care',
  care_home_pairings: 'care',
  care_call_settings: 'care',
  care_calls: 'care',
  service_items: 'services',
  service_applications: 'services',
  service_application_files: 'services',
  service_application_events: 'services',
  notices: 'notices',
  notice_recipients: 'notices',
  village_loudspeakers: 'notices',
  notice_broadcasts: 'notices',
  household_traits: 'notices',
  notifications: 'notifications',
  privacy_consents: 'privacy',
  privacy_requests: 'privacy',
  privacy_holds: 'privacy',
  monitoring_cameras: 'monitoring',
  monitoring_snapshots: 'monitoring',
  monitoring_snapshot_queue: 'monitoring',
  monitoring_evidence_requests: 'monitoring',
  monitoring_evidence_holds: 'monitoring',
  monitoring_baselines: 'monitoring',
  monitoring_detection_state: 'monitoring',
  monitoring_detections: 'monitoring',
  monitoring_findings: 'monitoring',
  monitoring_farm_subjects: 'monitoring',
  agri_plots: 'agri',
  agri_flocks: 'agri',
  agri_changes: 'agri',
  agri_photos: 'agri',
  agri_observations: 'agri',
  agri_advice_rules: 'agri',
  agri_advice_periods: 'agri',
  agri_advice_deliveries: 'agri',
  agri_weather: 'agri',
  agri_questions: 'agri',
  agri_question_messages: 'agri',
  poverty_settings: 'poverty',
  poverty_economics: 'poverty',
  poverty_monitored: 'poverty',
  poverty_step_events: 'poverty',
  poverty_evidence: 'poverty',
  poverty_measures: 'poverty',
  poverty_visits: 'poverty',
  poverty_objections: 'poverty',
  idempotency_keys: 'platform',
  job_leases: 'platform',
  number_counters: 'platform',
};

/**
 * Tables two modules name, each with the reason. None today (auth's login credentials moved off
 * org's users rows into auth's credentials table). Keep this list short and say in the closing
 * note of the change that adds to it what would remove the entry.
 */
const SHARED_TABLES: Record<string, Record<string, string>> = {};

/** The tables of db/schema.ts's DB interface, so that a new table must be given an owner. */
function schemaTables(): string[] {
  const schema = SOURCES.find((s) => s.file === `${SERVER}/db/schema.ts`);
  const db = schema?.ast.statements.find((st): st is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(st) && st.name.text === 'DB');
  return (db?.members ?? []).flatMap((m) => (m.name && ts.isIdentifier(m.name) ? [m.name.text] : []));
}

const TABLE_CALLS = new Set([...QUERY_BUILDERS, 'innerJoin', 'leftJoin', 'rightJoin', 'fullJoin', 'crossJoin']);
const SQL_TABLE = /\b(?:from|join|into|update)\s+([a-z_][a-z0-9_]*)/gi;

function tableBreaches(source: SourceFile): Breach[] {
  const own = moduleOf(source.file);
  if (!own) return [];
  const breaches: Breach[] = [];
  const check = (table: string, node: ts.Node) => {
    const owner = TABLE_OWNERS[table];
    if (owner && owner !== own && !SHARED_TABLES[table]?.[own]) {
      breaches.push({
        file: source.file,
        line: lineOf(source.ast, node),
        rule: `module ${own} names table ${table} of ${owner === 'platform' ? 'platform/' : `module ${owner}`}`,
        instead: `ask ${owner === 'platform' ? 'platform/' : `${owner}'s *.service.ts`} for it (one call per page: names for these ids, ids under this region) and keep this query to ${own}'s own tables`,
      });
    }
  };
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && TABLE_CALLS.has(node.expression.name.text)) {
      const first = node.arguments[0];
      if (first && ts.isStringLiteralLike(first)) check(first.text.split(/\s+as\s+/)[0]?.trim() ?? '', node);
    }
    if (ts.isTaggedTemplateExpression(node) && /^sql\b/.test(node.tag.getText(source.ast))) {
      for (const match of node.template.getText(source.ast).matchAll(SQL_TABLE)) check(match[1]?.toLowerCase() ?? '', node);
    }
    ts.forEachChild(node, visit);
  };
  visit(source.ast);
  return breaches;
}

const DIALECT_NAMES = new Set(['postgres', 'sqlite']);
const COMPARISONS = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
]);

function namesDialect(node: ts.Expression): boolean {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return DIALECT_NAMES.has(node.text);
  if (ts.isPropertyAccessExpression(node)) return node.name.text === 'dialect';
  if (ts.isIdentifier(node)) return node.text === 'dialect';
  if (ts.isCallExpression(node)) return /^dialectOf$/.test(node.expression.getText());
  return false;
}

function dialectBreaches(source: SourceFile): Breach[] {
  if (!source.file.startsWith(`${SERVER}/`) || source.file.startsWith(`${SERVER}/db/`)) return [];
  const breaches: Breach[] = [];
  const instead =
    'put what differs between SQLite and PostgreSQL behind one function in apps/server/src/db/ (dialect.ts or a helper beside it) and call that';
  const visit = (node: ts.Node) => {
    if (ts.isBinaryExpression(node) && COMPARISONS.has(node.operatorToken.kind) && (namesDialect(node.left) || namesDialect(node.right))) {
      breaches.push({
        file: source.file,
        line: lineOf(source.ast, node),
        rule: `dialect branch outside db/ (${node.getText(source.ast)})`,
        instead,
      });
    }
    if (ts.isElementAccessExpression(node) && !ts.isStringLiteral(node.argumentExpression) && namesDialect(node.argumentExpression)) {
      breaches.push({
        file: source.file,
        line: lineOf(source.ast, node),
        rule: `lookup by dialect outside db/ (${node.getText(source.ast)})`,
        instead,
      });
    }
    if (ts.isSwitchStatement(node) && namesDialect(node.expression)) {
      breaches.push({ file: source.file, line: lineOf(source.ast, node), rule: 'switch on the dialect outside db/', instead });
    }
    if (ts.isCaseClause(node) && ts.isStringLiteral(node.expression) && DIALECT_NAMES.has(node.expression.text)) {
      const owner = node.parent.parent;
      if (!(ts.isSwitchStatement(owner) && namesDialect(owner.expression))) {
        breaches.push({ file: source.file, line: lineOf(source.ast, node), rule: `case '${node.expression.text}' outside db/`, instead });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source.ast);
  return breaches;
}

const moduleOf = (file: string) => file.match(/^apps\/server\/src\/modules\/([^/]+)\//)?.[1];

/**
 * The few files a module may import from another module besides its `*.service.ts`:
 * - the privacy registry (modules/privacy/privacy-declarations.ts) lists every `<m>.privacy.ts`,
 *   because the privacy record must name every table holding personal data, in one place;
 * - a `<m>.privacy.ts` file imports the declaration type it fills in
 *   (modules/privacy/privacy-declaration.ts), the privacy module's published format.
 */
function crossModuleAllowed(importer: string, target: string): boolean {
  if (target.endsWith('.service.ts')) return true;
  if (importer === `${SERVER}/modules/privacy/privacy-declarations.ts` && /\/([^/]+)\/\1\.privacy\.ts$/.test(target)) return true;
  if (importer.endsWith('.privacy.ts') && target === `${SERVER}/modules/privacy/privacy-declaration.ts`) return true;
  return false;
}

function moduleBreaches(source: SourceFile): Breach[] {
  const breaches: Breach[] = [];
  const own = moduleOf(source.file);
  const below = source.file.startsWith(`${SERVER}/platform/`) || source.file.startsWith(`${SERVER}/db/`);
  for (const ref of source.imports) {
    const target = ref.resolved;
    if (!target) continue;
    const other = moduleOf(target);
    if (own && other && other !== own && !crossModuleAllowed(source.file, target)) {
      breaches.push({
        file: source.file,
        line: ref.line,
        rule: `module ${own} imports ${target.slice(SERVER.length + 1)} of module ${other}`,
        instead: `reach module ${other} through a function of its *.service.ts (add one there if it is missing); a pure helper that both need belongs in platform/`,
      });
    }
    if (below && other) {
      breaches.push({
        file: source.file,
        line: ref.line,
        rule: `${source.file.startsWith(`${SERVER}/db/`) ? 'db' : 'platform'} imports module ${other} (${target.slice(SERVER.length + 1)})`,
        instead:
          'platform/ and db/ sit below the modules: move the piece both need down into platform/ or db/, or let the module pass it in',
      });
    }
  }
  return breaches;
}

function routeBreaches(source: SourceFile): Breach[] {
  if (!source.file.endsWith('.routes.ts')) return [];
  return source.imports
    .filter((ref) => ref.resolved?.endsWith('.repository.ts'))
    .map((ref) => ({
      file: source.file,
      line: ref.line,
      rule: `route file imports a repository (${ref.spec})`,
      instead: 'a route validates, checks access and calls one service function; let the service call the repository',
    }));
}

const featureOf = (file: string) => file.match(/^apps\/web\/src\/features\/([^/]+)\//)?.[1];

function webBreaches(source: SourceFile): Breach[] {
  if (!source.file.startsWith(`${WEB}/`)) return [];
  const breaches: Breach[] = [];
  const own = featureOf(source.file);
  const shared = source.file.startsWith(`${WEB}/lib/`) || source.file.startsWith(`${WEB}/components/`);
  for (const ref of source.imports) {
    const other = ref.resolved && featureOf(ref.resolved);
    if (!other) continue;
    if (own && other !== own) {
      breaches.push({
        file: source.file,
        line: ref.line,
        rule: `feature ${own} imports feature ${other} (${ref.spec})`,
        instead: 'features do not import each other: move what both use to apps/web/src/lib/ (logic, hooks) or components/ (UI)',
      });
    }
    if (shared) {
      breaches.push({
        file: source.file,
        line: ref.line,
        rule: `shared ${source.file.startsWith(`${WEB}/lib/`) ? 'lib/' : 'components/'} imports feature ${other} (${ref.spec})`,
        instead:
          'lib/ and components/ are below the features: move the piece into lib/ or components/, or pass it in as a prop or argument',
      });
    }
  }
  return breaches;
}

function barrelBreaches(files: string[]): Breach[] {
  return files
    .filter((file) => /(^|\/)index\.tsx?$/.test(file))
    .map((file) => ({
      file,
      line: 1,
      rule: 'barrel file',
      instead: 'no index.ts: name the file for what it holds and import that file directly',
    }));
}

function longFileReason(file: string): string | undefined {
  return LONG_FILES[file] ?? LONG_FILE_PATTERNS.find(({ pattern }) => pattern.test(file))?.reason;
}

function sizeBreaches(source: SourceFile): Breach[] {
  const lines = source.text.split('\n').length - (source.text.endsWith('\n') ? 1 : 0);
  if (lines <= MAX_LINES || longFileReason(source.file)) return [];
  return [
    {
      file: source.file,
      line: MAX_LINES + 1,
      rule: `${lines} lines (the limit is ${MAX_LINES})`,
      instead:
        'split by sub-domain (`points-claims.service.ts`, `points-claims.repository.ts` ...); data files go in the allowlist of this test with their reason',
    },
  ];
}

/** Every cycle among the server's source files, each reported once at the import that closes it. */
function cycleBreaches(sources: SourceFile[]): Breach[] {
  const server = new Map(sources.filter((s) => s.file.startsWith(`${SERVER}/`)).map((s) => [s.file, s]));
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const breaches: Breach[] = [];
  const seen = new Set<string>();
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const ref of server.get(file)?.imports ?? []) {
      const next = ref.resolved;
      if (!next || !server.has(next)) continue;
      if (state.get(next) === 'open') {
        const cycle = [...stack.slice(stack.indexOf(next)), next];
        const key = [...cycle.slice(0, -1)].sort().join('|');
        if (!seen.has(key)) {
          seen.add(key);
          breaches.push({
            file,
            line: ref.line,
            rule: `import cycle: ${cycle.map((f) => f.slice(SERVER.length + 1)).join(' -> ')}`,
            instead:
              'imports go one way (routes -> service -> repository -> db; modules -> platform -> db): move the shared piece down a layer or into its own file',
          });
        }
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of server.keys()) if (!state.has(file)) visit(file);
  return breaches;
}

/**
 * Modules call each other's services in one direction (the picture in docs/architecture.md): a
 * cycle between two modules' files, even through different files, means neither can be understood
 * or changed without the other. The privacy registry's imports of every `<m>.privacy.ts` and those
 * files' import of the declaration type are the registry's, not a dependency of one module on another.
 */
function moduleCycleBreaches(sources: SourceFile[]): Breach[] {
  const edges = new Map<string, Map<string, { file: string; line: number }>>();
  for (const source of sources) {
    const from = moduleOf(source.file);
    if (!from) continue;
    for (const ref of source.imports) {
      const to = ref.resolved && moduleOf(ref.resolved);
      if (!to || to === from || !ref.resolved) continue;
      if (ref.resolved.endsWith('.privacy.ts') || ref.resolved === `${SERVER}/modules/privacy/privacy-declaration.ts`) continue;
      const out = edges.get(from) ?? new Map();
      if (!out.has(to)) out.set(to, { file: source.file, line: ref.line });
      edges.set(from, out);
    }
  }
  const breaches: Breach[] = [];
  const seen = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (module: string) => {
    state.set(module, 'open');
    stack.push(module);
    for (const [next, at] of edges.get(module) ?? []) {
      if (state.get(next) === 'open') {
        const cycle = [...stack.slice(stack.indexOf(next)), next];
        const key = [...cycle.slice(0, -1)].sort().join('|');
        if (!seen.has(key)) {
          seen.add(key);
          breaches.push({
            file: at.file,
            line: at.line,
            rule: `modules depend on each other in a cycle: ${cycle.join(' -> ')}`,
            instead:
              'one of them must not know the other: move the shared piece into the lower module or platform/, or let the lower one publish an event or take a function',
          });
        }
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(module, 'done');
  };
  for (const module of [...edges.keys()].sort()) if (!state.has(module)) visit(module);
  return breaches;
}

function report(breaches: Breach[]): string {
  return breaches.map((b) => `${b.file}:${b.line}  ${b.rule}\n    -> ${b.instead}`).join('\n');
}

function expectNone(breaches: Breach[]) {
  // The whole list in the failure message: one run shows every place to change.
  expect(breaches.length, `${breaches.length} breach(es):\n${report(breaches)}\n`).toBe(0);
}

describe('architecture (docs/architecture.md)', () => {
  it('finds the sources it checks', () => {
    expect(SOURCES.some((s) => s.file === `${SERVER}/app.ts`)).toBe(true);
    expect(SOURCES.some((s) => s.file.startsWith(`${WEB}/features/`))).toBe(true);
  });

  it('builds Kysely queries only in *.repository.ts files and db/', () => {
    expectNone(SOURCES.flatMap(kyselyBreaches));
  });

  it('branches on the dialect only in db/', () => {
    expectNone(SOURCES.flatMap(dialectBreaches));
  });

  it('reaches another module only through its service, and platform/ and db/ import no module', () => {
    expectNone(SOURCES.flatMap(moduleBreaches));
  });

  it('names in each module only the tables it owns, and every table has an owner', () => {
    const unowned = schemaTables().filter((table) => !(table in TABLE_OWNERS));
    expect(unowned, 'give each new table its owning module in TABLE_OWNERS').toEqual([]);
    expectNone(SOURCES.flatMap(tableBreaches));
  });

  it('keeps repositories out of route files', () => {
    expectNone(SOURCES.flatMap(routeBreaches));
  });

  it('keeps web features apart, and lib/ and components/ below them', () => {
    expectNone(SOURCES.flatMap(webBreaches));
  });

  it('has no barrel index files', () => {
    expectNone(barrelBreaches(ALL_FILES));
  });

  it(`keeps source files within ${MAX_LINES} lines unless they are data`, () => {
    expectNone(SOURCES.flatMap(sizeBreaches));
  });

  it('has no import cycles among server source files', () => {
    expectNone(cycleBreaches(SOURCES));
  });

  it('has no cycles between modules', () => {
    expectNone(moduleCycleBreaches(SOURCES));
  });

  it('lists no allowlisted long file that is gone or short', () => {
    for (const file of Object.keys(LONG_FILES)) {
      const source = SOURCES.find((s) => s.file === file);
      expect(source, `${file} is in LONG_FILES but does not exist: remove it from the list`).toBeDefined();
      const lines = source?.text.split('\n').length ?? 0;
      expect(lines, `${file} is in LONG_FILES but has ${lines} lines: remove it from the list`).toBeGreaterThan(MAX_LINES);
    }
  });
});
