// The wall's one live stream: GET /api/events (the screen cookie or a staff session opens it), of
// which the screen listens to `screen.changed` for its own place. Made for a screen left on for
// years: one EventSource at a time (a broken one is closed before the next opens), one timer, no
// list that grows. A stream that breaks is never silent: when the browser gives up (the server
// refused: the key was revoked), the page is asked whether it may still read; when it may, the
// stream opens again after a pause and the page refetches what it may have missed.
import { SCREEN_CHANGED_EVENT, type ScreenChanged, type ScreenSection } from '@cunzhi/contracts/dashboard';
import { useEffect, useRef, useState } from 'react';

export type ScreenLiveState = 'connecting' | 'open' | 'down';

const RETRY_MS = 3_000;

export type ScreenEventHandlers = {
  /** A section of this screen's place changed. */
  onChanged(section: ScreenSection): void;
  /** The stream broke for good: answers whether the screen may still read (false: stop). */
  onBroken(): Promise<boolean>;
  /** The stream is open again after a break: events may have been missed. */
  onReopened(): void;
};

export function useScreenEvents(regionId: string, enabled: boolean, handlers: ScreenEventHandlers): ScreenLiveState {
  const [state, setState] = useState<ScreenLiveState>('connecting');
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    if (!enabled) return;
    let source: EventSource | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    let broken = false;
    const onChanged = (message: MessageEvent<string>) => {
      let data: ScreenChanged;
      try {
        data = JSON.parse(message.data) as ScreenChanged;
      } catch {
        return;
      }
      if (data.regionId === regionId) latest.current.onChanged(data.section);
    };
    const open = () => {
      source?.close();
      source = new EventSource('/api/events');
      source.onopen = () => {
        setState('open');
        if (broken) latest.current.onReopened();
        broken = false;
      };
      source.addEventListener(SCREEN_CHANGED_EVENT, onChanged as EventListener);
      source.onerror = () => {
        if (stopped) return;
        broken = true;
        setState('down');
        // The browser retries a dropped connection itself; a refused one (CLOSED) is ours to reopen.
        if (source?.readyState !== EventSource.CLOSED) return;
        void latest.current.onBroken().then(
          (mayRead) => {
            if (mayRead && !stopped) retry = setTimeout(open, RETRY_MS);
          },
          () => {
            if (!stopped) retry = setTimeout(open, RETRY_MS);
          },
        );
      };
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(retry);
      source?.close();
      source = undefined;
    };
  }, [regionId, enabled]);
  return state;
}
