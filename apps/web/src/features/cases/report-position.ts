// Where the phone is when a report is made, so that a handler is offered reports of the same kind
// nearby (the 300 m duplicate check). Asked once when the report page opens; a refusal, no fix or
// a phone without GPS leaves the report placed by its village or group alone; the person may ask
// again (retry), after allowing it in the browser or stepping outside.
import { useEffect, useState } from 'react';

export type Position = { latitude: number; longitude: number };
export type PositionState = { status: 'asking' } | { status: 'found'; position: Position } | { status: 'unavailable' };

/** How long the phone may look for a fix before the report goes without one. */
export const POSITION_TIMEOUT_MS = 10_000;

export function usePosition(): PositionState & { retry(): void } {
  const [state, setState] = useState<PositionState>(() =>
    typeof navigator !== 'undefined' && 'geolocation' in navigator ? { status: 'asking' } : { status: 'unavailable' },
  );
  useEffect(() => {
    if (state.status !== 'asking') return;
    let settled = false;
    const settle = (next: PositionState) => {
      if (settled) return;
      settled = true;
      setState(next);
    };
    // The browser's own timeout starts only once permission is given; this one covers an unanswered prompt.
    const timer = window.setTimeout(() => settle({ status: 'unavailable' }), POSITION_TIMEOUT_MS + 2_000);
    navigator.geolocation.getCurrentPosition(
      (found) => settle({ status: 'found', position: { latitude: found.coords.latitude, longitude: found.coords.longitude } }),
      () => settle({ status: 'unavailable' }),
      { enableHighAccuracy: true, timeout: POSITION_TIMEOUT_MS, maximumAge: 60_000 },
    );
    return () => {
      settled = true;
      window.clearTimeout(timer);
    };
  }, [state.status]);
  const retry = () => {
    if (typeof navigator !== 'undefined' && 'geolocation' in navigator) setState({ status: 'asking' });
  };
  return { ...state, retry };
}
