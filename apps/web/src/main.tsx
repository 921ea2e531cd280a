// The entry: only what starts the page's downloads. The page's chunks, the session and the page's
// first reads are asked for at once, not one after the other as React meets them: on a slow phone
// network each round trip saved is a quarter of a second or more.
import { queryClient } from './app/query-client.ts';
import { createRouter, preloadPage } from './app/router.tsx';
import { prefetchSession } from './lib/session.ts';
import './styles.css';

// The router's own matches for the address say which chunks to start: matching the route table
// again here took as long as making the router.
const router = createRouter();
const page = preloadPage(router.state.matches, queryClient);
if (page.asksForSession) prefetchSession(queryClient);

// The rest of the app (React DOM, the providers, the outbox, the words) is its own chunk, which
// index.html has the browser fetch beside this one (vite.config.ts preloadStart): evaluated in a task
// of its own, it no longer holds back the requests above, and the phone's main thread is not taken
// by one long task for all of it (Lighthouse counts each task's time over 50 ms as blocking).
void import('./app/start.tsx').then(({ startApp }) => startApp(router, page.arrived));
