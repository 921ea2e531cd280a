const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

/** Epoch ms to ISO-8601 in Asia/Shanghai (no daylight saving, so a fixed +08:00). */
export function toIso(ms: number): string {
  return `${new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, -1)}+08:00`;
}

export function toIsoOrNull(ms: number | null): string | null {
  return ms === null ? null : toIso(ms);
}
