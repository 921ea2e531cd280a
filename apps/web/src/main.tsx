// The entry: only what starts the page's downloads. The page's chunks, the session and the page's
// first reads are asked for at once, not one after the other as React meets them: on a slow phone
// network each round trip saved is a quarter of a second or more.
import { queryClient } from './app/query-client.ts';
import { createRouter, preloadPage, staticMatches } from './app/router.tsx';
import { prefetchSession } from './lib/session.ts';
import './styles.css';

// The routes along the way to the address say which chunks to start. For an address without
// parameters (every phone page) a lookup in the route table says it, and the router, whose making was
// a third of this file's evaluation (one long task), is made by the app's start in a task of its own;
// for any other address the router's own matches say it (matching the table a second time took as
// long as making the router).
const known = staticMatches(window.location.pathname);
const router = known ? undefined : createRouter();
const page = preloadPage(known ?? router?.state.matches ?? [], queryClient);
if (page.asksForSession) prefetchSession(queryClient);

// The rest of the app (React DOM, the providers, the outbox, the words) is its own chunk, which
// index.html has the browser fetch beside this one (vite.config.ts preloadStart): evaluated in a task
// of its own, it no longer holds back the requests above, and the phone's main thread is not taken
// by one long task for all of it (Lighthouse counts each task's time over 50 ms as blocking).
void import('./app/start.tsx').then(({ startApp }) => startApp(router, page.arrived));
