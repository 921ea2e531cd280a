// The call stream (GET /api/care/calls/stream, Server-Sent Events) read with fetch rather than
// EventSource: the elder's home device proves itself with its key in the Authorization header,
// which EventSource cannot send. A broken stream is opened again after a pause; a refused one (the
// session or the key is gone) is reported and left closed.

export type StreamState = 'connecting' | 'open' | 'down' | 'refused';

export type CallStreamOptions = {
  headers?: Record<string, string>;
  onEvent(event: string, data: unknown): void;
  onState(state: StreamState): void;
};

const RETRY_MS = 3_000;

/** Splits the text read so far into whole events; answers the events and what is left over. */
export function parseEvents(buffer: string): { events: { event: string; data: string }[]; rest: string } {
  const blocks = buffer.split('\n\n');
  const rest = blocks.pop() ?? '';
  const events = [];
  for (const block of blocks) {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    if (data.length > 0) events.push({ event, data: data.join('\n') });
  }
  return { events, rest };
}

/** Opens the stream; the function it answers closes it for good. */
export function openCallStream(options: CallStreamOptions): () => void {
  let stopped = false;
  let controller: AbortController | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const connect = async () => {
    controller = new AbortController();
    options.onState('connecting');
    try {
      const response = await fetch('/api/care/calls/stream', {
        // The service worker lets a request that accepts an event stream through untouched (src/sw.ts).
        headers: { ...options.headers, accept: 'text/event-stream' },
        credentials: 'same-origin',
        signal: controller.signal,
        cache: 'no-store',
      });
      if (response.status === 401 || response.status === 403) {
        options.onState('refused');
        return;
      }
      if (!response.ok || !response.body) throw new Error(`stream ${response.status}`);
      options.onState('open');
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const parsed = parseEvents(buffer + value);
        buffer = parsed.rest;
        for (const e of parsed.events) options.onEvent(e.event, JSON.parse(e.data));
      }
      throw new Error('stream ended');
    } catch {
      if (stopped) return;
      options.onState('down');
      retry = setTimeout(() => void connect(), RETRY_MS);
    }
  };
  void connect();
  return () => {
    stopped = true;
    clearTimeout(retry);
    controller?.abort();
  };
}
