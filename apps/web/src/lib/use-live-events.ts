// The one live stream (GET /api/events, Server-Sent Events) a page listens to. A stream that breaks
// is never silent: the server ends it when the session ends (logout elsewhere, idle timeout, a
// disabled account), and the browser's reconnect then gets 401, after which EventSource gives up
// without a word — a duty screen would go on showing "no alarms". So every break asks the server
// whether the session still stands: when it does not, the person is sent to log in (session-ended.ts);
// otherwise the page shows that it is disconnected until the stream is open again.
import { useEffect, useRef, useState } from 'react';
import { ApiError, api } from './api-client.ts';
import { useSessionEnded } from './session-ended.ts';

export type LiveState = 'connecting' | 'open' | 'down';

const RETRY_MS = 3_000;

export function useLiveEvents(handlers: Record<string, (data: string) => void>): LiveState {
  const onSessionEnded = useSessionEnded();
  const [state, setState] = useState<LiveState>('connecting');
  // The latest handlers are called without reopening the stream each render.
  const latest = useRef({ handlers, onSessionEnded });
  latest.current = { handlers, onSessionEnded };
  const types = Object.keys(handlers).sort().join(',');
  useEffect(() => {
    let source: EventSource | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const open = () => {
      source = new EventSource('/api/events');
      source.onopen = () => setState('open');
      for (const type of types.split(',').filter(Boolean)) {
        source.addEventListener(type, (message) => latest.current.handlers[type]?.((message as MessageEvent<string>).data));
      }
      source.onerror = () => {
        if (stopped) return;
        setState('down');
        void api('/api/auth/session').then(
          () => {
            // The session stands: the browser retries a broken connection itself, but not a
            // refused one (readyState CLOSED); then this opens it again.
            if (!stopped && source?.readyState === EventSource.CLOSED) retry = setTimeout(open, RETRY_MS);
          },
          (error: unknown) => {
            if (stopped) return;
            if (error instanceof ApiError && error.status === 401) {
              stopped = true;
              source?.close();
              latest.current.onSessionEnded();
            } else if (source?.readyState === EventSource.CLOSED) retry = setTimeout(open, RETRY_MS);
          },
        );
      };
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(retry);
      source?.close();
    };
  }, [types]);
  return state;
}

/**
 * Calls `catchUp` when the stream is open again after a break: what happened meanwhile was never
 * streamed, so the page asks again for what the events would have told it.
 */
export function useCatchUpAfterBreak(live: LiveState, catchUp: () => void): void {
  const wasDown = useRef(false);
  const latest = useRef(catchUp);
  latest.current = catchUp;
  useEffect(() => {
    if (live === 'down') wasDown.current = true;
    if (live === 'open' && wasDown.current) {
      wasDown.current = false;
      latest.current();
    }
  }, [live]);
}
