import type { SessionInfo } from '@cunzhi/contracts/auth';
import { QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useState } from 'react';
import { OfflineBanner, SignInNotice } from '../components/OfflineBanner.tsx';
import { ApiError } from '../lib/api-client.ts';
import { lastSignedIn, loggedOutByChoice, noteSignedIn } from '../lib/offline-data.ts';
import { setOutboxOwner, useOutbox } from '../lib/outbox.ts';
import { SESSION_KEY } from '../lib/session-ended.ts';

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx will not change by asking again; a flaky village network might.
      retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
      // Ask even when the phone says it is offline: the service worker answers with the last data
      // it kept (react-query's default would pause the query and leave the page spinning).
      networkMode: 'offlineFirst',
    },
  },
});

/**
 * Follows the session query without asking for it (public pages never do): tells the outbox and the
 * offline data who is signed in, and, when the outbox met a 401, has the session asked again so the
 * person lands on the login page.
 */
function useSessionWatch(): { signedOut: boolean } {
  const client = useQueryClient();
  const { needsSignIn } = useOutbox();
  const [signedOut, setSignedOut] = useState(false);
  useEffect(() => {
    const follow = () => {
      const query = client.getQueryCache().find<SessionInfo | null>({ queryKey: SESSION_KEY });
      if (query?.state.status !== 'success') return;
      const session = query.state.data;
      setSignedOut(!session);
      if (session) void noteSignedIn(session.user.id);
      else setOutboxOwner(undefined, lastSignedIn());
    };
    follow();
    return client.getQueryCache().subscribe((event) => {
      if (event.query.queryKey[0] === SESSION_KEY[0] && event.type === 'updated') follow();
    });
  }, [client]);
  useEffect(() => {
    if (needsSignIn) void client.invalidateQueries({ queryKey: SESSION_KEY });
  }, [needsSignIn, client]);
  return { signedOut };
}

function OfflineNotices() {
  const { signedOut } = useSessionWatch();
  return (
    <>
      <OfflineBanner />
      {signedOut && <SignInNotice expired={!loggedOutByChoice()} />}
    </>
  );
}

export function Providers({ children }: { children: ReactNode }) {
  return (
    <QueryClientProvider client={queryClient}>
      <OfflineNotices />
      {children}
    </QueryClientProvider>
  );
}
