import { describe, expect, it } from 'vitest';
import { auditExportPath, exportPeriod } from './export-period.ts';

const NOW = Date.parse('2026-12-01T08:00:00.000Z');

describe('audit export period', () => {
  it('defaults to the last 30 days when the page chose no period', () => {
    expect(exportPeriod({}, NOW)).toEqual({ from: '2026-11-01T08:00:00.000Z', to: '2026-12-01T08:00:00.000Z' });
  });

  it('exports the chosen period as it is', () => {
    const chosen = { from: '2026-10-01T00:00:00.000Z', to: '2026-10-02T00:00:00.000Z' };
    expect(exportPeriod(chosen, NOW)).toEqual(chosen);
  });

  it('fills an open end: to now, or 30 days back from the chosen end', () => {
    expect(exportPeriod({ from: '2026-11-20T00:00:00.000Z' }, NOW)).toEqual({
      from: '2026-11-20T00:00:00.000Z',
      to: '2026-12-01T08:00:00.000Z',
    });
    expect(exportPeriod({ to: '2026-10-31T00:00:00.000Z' }, NOW)).toEqual({
      from: '2026-10-01T00:00:00.000Z',
      to: '2026-10-31T00:00:00.000Z',
    });
  });

  it('asks the export endpoint with both ends encoded', () => {
    expect(auditExportPath({ from: '2026-11-01T08:00:00.000Z', to: '2026-12-01T08:00:00.000Z' })).toBe(
      '/api/audit/export?from=2026-11-01T08%3A00%3A00.000Z&to=2026-12-01T08%3A00%3A00.000Z',
    );
  });
});
