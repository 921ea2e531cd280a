import { useMutation } from '@tanstack/react-query';
import { request } from '../../../lib/api-client.ts';
import { auditExportPath } from './export-period.ts';

/**
 * Fetched rather than a plain download link: a refused period (too many records, from after to)
 * answers 400 with a message the page shows, where a link would save the error as the file.
 */
async function fetchAuditExport(period: { from: string; to: string }): Promise<{ blob: Blob; fileName: string }> {
  const response = await request(auditExportPath(period));
  const named = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '');
  return { blob: await response.blob(), fileName: named?.[1] ?? 'audit.csv' };
}

function saveFile({ blob, fileName }: { blob: Blob; fileName: string }): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // Revoked after the click has handed the file to the browser's download.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export function useAuditExport() {
  return useMutation({ mutationFn: fetchAuditExport, onSuccess: saveFile });
}
