// The period an audit export covers, apart from the fetch so it is tested without a browser.
const DAY_MS = 86_400_000;
/** Without a chosen period the export covers the last 30 days: one request well under the server's record limit. */
export const DEFAULT_EXPORT_DAYS = 30;

/** The period to export: what the page chose, an open end filled in (to now, or 30 days back from the end). */
export function exportPeriod(chosen: { from?: string; to?: string }, now: number): { from: string; to: string } {
  const to = chosen.to ?? new Date(now).toISOString();
  const from = chosen.from ?? new Date(Date.parse(to) - DEFAULT_EXPORT_DAYS * DAY_MS).toISOString();
  return { from, to };
}

export const auditExportPath = (period: { from: string; to: string }) =>
  `/api/audit/export?${new URLSearchParams({ from: period.from, to: period.to })}`;
