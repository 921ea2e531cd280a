// JSON answers of more than a kilobyte go out gzip-compressed to a client that accepts it. On a
// phone with a weak signal the services catalogue's 31 KB page was the largest wait before it could
// be drawn (Lighthouse: uses-text-compression); compressed it is about a tenth of that. The web
// app's own files are compressed at build time and served as they are (app.ts, preCompressed).
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const gzip = promisify(zlib.gzip);

/** Below this, the gzip header and the work cost more than the bytes saved. */
export const COMPRESS_MIN_BYTES = 1024;

/** Whether the client's Accept-Encoding takes gzip (RFC 9110 §12.5.3; `gzip;q=0` refuses it). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  for (const part of header.split(',')) {
    const [coding = '', ...params] = part.trim().toLowerCase().split(';');
    if (coding.trim() !== 'gzip' && coding.trim() !== '*') continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  }
  return false;
}

async function compressJson(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  // Streams (the event stream, files, packages) and anything already encoded go as they are.
  if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
  if (reply.hasHeader('content-encoding')) return payload;
  const type = reply.getHeader('content-type');
  if (typeof type !== 'string' || !type.startsWith('application/') || !type.includes('json')) return payload;
  // The answer depends on the header whether or not this one is compressed: caches must know.
  reply.header('vary', appendVary(reply.getHeader('vary')));
  if (!acceptsGzip(request.headers['accept-encoding']) || isSmall(payload)) return payload;
  const compressed = await gzip(payload, { level: 6 });
  reply.header('content-encoding', 'gzip');
  reply.header('content-length', compressed.length);
  return compressed;
}

/**
 * Below COMPRESS_MIN_BYTES once encoded. A string's UTF-8 bytes are at least its UTF-16 units and
 * at most three times them, so its length alone decides except in between: measuring every JSON
 * answer (Fastify measures it again for content-length) was a few µs of each list request.
 */
function isSmall(payload: string | Buffer): boolean {
  if (typeof payload !== 'string') return payload.length < COMPRESS_MIN_BYTES;
  if (payload.length >= COMPRESS_MIN_BYTES) return false;
  if (payload.length * 3 < COMPRESS_MIN_BYTES) return true;
  return Buffer.byteLength(payload) < COMPRESS_MIN_BYTES;
}

function appendVary(existing: unknown): string {
  const value = typeof existing === 'string' ? existing : '';
  const listed = value
    .toLowerCase()
    .split(',')
    .map((v) => v.trim());
  if (listed.includes('accept-encoding') || listed.includes('*')) return value;
  return value ? `${value}, Accept-Encoding` : 'Accept-Encoding';
}

export function installCompression(app: FastifyInstance): void {
  app.addHook('onSend', compressJson);
}
