/** Builds the server's JavaScript (scripts/build-server.mjs). */
export function buildServer(): Promise<{ files: number; ms: number }>;
