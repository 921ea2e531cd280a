import type { SessionInfo } from '@cunzhi/contracts/auth';
import { QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useState } from 'react';
import { OfflineBanner, SignInNotice } from '../components/OfflineBanner.tsx';
import { lastSignedIn, loggedOutByChoice, noteSignedIn } from '../lib/offline-data.ts';
import { setOutboxOwner, useOutbox } from '../lib/outbox.ts';
import { SESSION_KEY } from '../lib/session-ended.ts';
import { queryClient } from './query-client.ts';

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
