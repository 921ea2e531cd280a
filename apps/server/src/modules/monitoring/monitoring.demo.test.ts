// The demo county's cameras (issue 16 item 8, and what a newcomer missed): Daxi's market town has
// three cameras, every demo camera stands inside its region's outline, the shed's finding is
// confirmed with the official's note in its case's history, and once the detection job has run the
// old street's lean-to is a fresh finding left open for a cadre. Only the org and monitoring steps
// are loaded: the rest of the county has nothing to do with the cameras.
import type { Boundary } from '@cunzhi/contracts/region-shapes';
import { afterAll, describe, expect, it } from 'vitest';
import { dialects, login, useTestApp } from '../../../test/build-test-app.ts';
import { DEMO_STEPS, loadDemoCounty } from '../../demo-county.ts';
import { DEMO_PASSWORD } from '../org/org.demo.ts';
import { DEMO_DAXI_OFFICIAL_PHONE } from './monitoring.demo.ts';
import { closeDetection, runDetection } from './monitoring-detection.service.ts';
import { insideBoundary } from './region-position.ts';

const DAY = 24 * 3_600_000;

afterAll(() => closeDetection());

describe.each(dialects)('the demo county’s cameras on %s', (dialect) => {
  const ctx = useTestApp(dialect);

  it('puts three cameras in Daxi’s market town, all inside their regions, and leaves a fresh finding open', async () => {
    await loadDemoCounty(
      ctx.deps,
      DEMO_STEPS.filter((step) => step.name === 'org' || step.name === 'monitoring'),
    );
    const cameras = await ctx.deps.db
      .selectFrom('monitoring_cameras')
      .innerJoin('regions', 'regions.id', 'monitoring_cameras.region_id')
      .select([
        'monitoring_cameras.id',
        'monitoring_cameras.name',
        'monitoring_cameras.purpose',
        'monitoring_cameras.latitude',
        'monitoring_cameras.longitude',
        'regions.name as regionName',
        'regions.boundary',
      ])
      .execute();
    const daxi = cameras.filter((c) => c.regionName === '大溪镇');
    expect(daxi.map((c) => c.purpose).sort()).toEqual(['marketTown', 'marketTown', 'publicSecurity']);
    expect(cameras).toHaveLength(4);
    for (const camera of cameras) {
      expect(camera.boundary, camera.name).not.toBeNull();
      expect(insideBoundary(JSON.parse(camera.boundary as string) as Boundary, [camera.longitude, camera.latitude]), camera.name).toBe(
        true,
      );
    }

    // The shed: confirmed by Daxi's official, whose note is in its case's history.
    const market = daxi.find((c) => c.name === '大溪集镇农贸市场东口');
    const [shed] = await ctx.deps.db
      .selectFrom('monitoring_findings')
      .selectAll()
      .where('camera_id', '=', market?.id as string)
      .execute();
    expect(shed?.state).toBe('confirmed');
    const confirmation = await ctx.deps.db
      .selectFrom('case_events')
      .select(['note'])
      .where('case_id', '=', shed?.case_id as string)
      .where('action', '=', 'confirmFinding')
      .execute();
    expect(confirmation).toEqual([{ note: expect.stringContaining('临时棚房') }]);

    // The job compares what the demo left queued: the old street's lean-to becomes an open finding.
    while ((await runDetection(ctx.deps)) > 0);
    const street = daxi.find((c) => c.name === '大溪集镇老街口');
    const open = await ctx.deps.db
      .selectFrom('monitoring_findings')
      .selectAll()
      .where('camera_id', '=', street?.id as string)
      .execute();
    expect(open.map((f) => f.state)).toEqual(['open']);
    expect(Number(open[0]?.after_captured_at)).toBeGreaterThan(ctx.deps.now() - 2 * DAY);
    const square = daxi.find((c) => c.purpose === 'publicSecurity');
    expect(
      await ctx.deps.db
        .selectFrom('monitoring_findings')
        .select('id')
        .where('camera_id', '=', square?.id as string)
        .execute(),
    ).toEqual([]);
    // Daxi's official finds it among the open findings, with its case.
    const official = await login(ctx.app, DEMO_DAXI_OFFICIAL_PHONE, DEMO_PASSWORD);
    const listed = (await official.get('/api/monitoring/findings?state=open')).json().items as { cameraName: string; caseId: string }[];
    expect(listed.map((f) => f.cameraName)).toEqual(['大溪集镇老街口']);
    expect(listed[0]?.caseId).toEqual(expect.any(String));
  }, 240_000);
});
