// A short run of the schema-driven fuzzer (test/fuzz-harness.ts) on every route, as nobody, as a
// villager and as a county administrator, over the demo county; `npm run security` runs it long.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../test/build-test-app.ts';
import { buildFuzzWorld, type FuzzReport, type FuzzWorld, fuzzWorld, makeSamples } from '../../test/fuzz-harness.ts';

const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS ?? 3);

describe.each(dialects)('fuzzing every route on %s', (dialect) => {
  let world: FuzzWorld;
  let report: FuzzReport;

  beforeAll(async () => {
    world = await buildFuzzWorld(dialect, await makeSamples());
    report = await fuzzWorld(world, { runsPerRoute: RUNS_PER_ROUTE, seed: 20261201 });
  }, 120_000);
  afterAll(async () => world?.close());

  const findings = (kind: string) => report.findings.filter((f) => f.kind === kind).map((f) => `${f.request} -> ${f.detail}`);

  it('reaches every declared route, hidden Open311 and FHIR routes included', () => {
    expect(report.routes.length).toBeGreaterThan(120);
    expect(report.routes.some((r) => r.route.startsWith('GET /open311/v2/requests'))).toBe(true);
    expect(report.routes.some((r) => r.route.startsWith('POST /fhir/Observation'))).toBe(true);
    // Some fuzzed requests get past validation: the run is not only testing the validator.
    const answered = report.routes.filter((r) => (r.statuses['2xx'] ?? 0) > 0).map((r) => r.route);
    expect(answered.length, answered.join('\n')).toBeGreaterThan(20);
  });

  it('answers a broken percent-encoding or an over-long path segment in our shape, without quoting the URL', async () => {
    const broken = await world.ctx.app.inject({ method: 'GET', url: '/api/cases/%ED%A0%80?q=%3Cscript%3E' });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.code).toBe('validation_failed');
    expect(broken.body).not.toContain('%ED');
    expect(broken.body).not.toContain('script');
    const long = await world.ctx.app.inject({ method: 'GET', url: `/api/cases/${'a'.repeat(500)}` });
    expect(long.statusCode).toBe(414);
    expect(long.json().error.code).toBe('validation_failed');
    expect(long.body).not.toContain('aaaa');
  });

  it('never answers 5xx', () => expect(findings('5xx')).toEqual([]));
  it('never hangs', () => expect(findings('hang')).toEqual([]));
  it('never answers more than the size bound', () => expect(findings('oversize')).toEqual([]));
  it('refusals under /api have the {error:{code,message}} shape and repeat no hostile input', () => {
    expect(findings('shape')).toEqual([]);
    expect(findings('echo')).toEqual([]);
  });
  it('a refused request writes nothing but the audit log (SQLite, where every write is seen)', () => {
    expect(findings('stateChange')).toEqual([]);
  });
});
