// A request Node's HTTP parser cannot read (a control character in a header, headers over its 16 KB,
// a broken request line) is answered before Fastify sees a request: in the platform's error shape
// ({error: {code, message}}), as every other refusal, rather than Fastify's default English text.
// Nothing of the request is read back.
import http from 'node:http';
import type { Socket } from 'node:net';
import { errorMessage } from './errors.ts';

export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  // A reset connection has nobody to answer (node's clientError docs).
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  // No header was read, so no Accept-Language either: the product's first language.
  const body = JSON.stringify({
    error: {
      code: 'validation_failed',
      message: errorMessage('validation_failed', 'zh'),
      details: [{ field: 'headers', problem: status === 431 ? 'too large' : 'could not be read' }],
    },
  });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
