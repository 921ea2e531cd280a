// When the session ends behind the page's back (logout in another tab, idle timeout, a disabled
// account), whatever notices it — the live stream, for one — forgets what was loaded and lets the
// layout send the person to the login page, which says why. Shared by every feature, so it lives
// here with the session's query key rather than in one feature.
import { useQueryClient } from '@tanstack/react-query';

/** The query that holds who is signed in (null when nobody is). */
export const SESSION_KEY = ['session'] as const;
const SESSION_ENDED_FLAG = 'cunzhi.sessionEnded';

export function useSessionEnded(): () => void {
  const client = useQueryClient();
  return () => {
    // Kept outside the router's state: the layout's own redirect to login (no session) may win the race.
    sessionStorage.setItem(SESSION_ENDED_FLAG, '1');
    client.removeQueries({ predicate: (query) => query.queryKey[0] !== SESSION_KEY[0] });
    // With no session the layout sends the person to the login page, which says why.
    client.setQueryData(SESSION_KEY, null);
  };
}

/** Read once by the login page: whether it was reached because the session ended. */
export function takeSessionEnded(): boolean {
  const ended = sessionStorage.getItem(SESSION_ENDED_FLAG) === '1';
  sessionStorage.removeItem(SESSION_ENDED_FLAG);
  return ended;
}
