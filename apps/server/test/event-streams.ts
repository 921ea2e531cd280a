// Server-sent event streams for tests that run against a listening server (a stream is a response
// that never finishes on its own, so app.inject cannot read one), and waiting for what they say.
import http from 'node:http';

/** Waits until `condition` holds, up to `ms`; whether it did. */
export async function until(condition: () => boolean, ms = 3_000): Promise<boolean> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > ms) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}

export type EventStream = {
  status: number;
  /** Everything received so far. */
  text(): string;
  /** The events received so far, in order, with their data parsed. */
  events(): { event: string; data: Record<string, unknown> }[];
  /** Resolves when the server ends the stream. */
  ended: Promise<'ended'>;
  hasEnded(): boolean;
  close(): void;
  pause(): void;
  resume(): void;
};

/**
 * Opens `path` on the server at `port` with `headers`, on a socket of its own (agent: false): Node's
 * global agent keeps sockets alive and would hand a later stream the socket of one the server has
 * just ended, which then hangs up. Resolves as soon as the answer's head arrives, whatever its status.
 */
export function openEventStream(port: number, path: string, headers: Record<string, string>): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path, headers, agent: false });
    request.on('error', reject);
    request.on('response', (response) => {
      let text = '';
      let hasEnded = false;
      const ended = new Promise<'ended'>((done) => {
        const end = () => {
          hasEnded = true;
          done('ended');
        };
        response.on('end', end);
        response.on('close', end);
      });
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
      });
      response.on('error', () => undefined);
      // After the answer, a destroyed request is the test's own doing, not a failure.
      request.on('error', () => undefined);
      resolve({
        status: response.statusCode ?? 0,
        text: () => text,
        events: () =>
          text
            .split('\n\n')
            .filter((block) => block.startsWith('event: '))
            .map((block) => {
              const [head, body] = block.split('\n');
              return { event: (head ?? '').slice(7), data: JSON.parse((body ?? '').slice(6)) as Record<string, unknown> };
            }),
        ended,
        hasEnded: () => hasEnded,
        close: () => request.destroy(),
        pause: () => response.pause(),
        resume: () => response.resume(),
      });
    });
  });
}
