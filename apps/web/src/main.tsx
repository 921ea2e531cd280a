import { StrictMode, startTransition } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { languageReady } from './app/i18n.ts';
import { registerOfflineCommands } from './app/offline-commands.ts';
import { Providers, queryClient } from './app/Providers.tsx';
import { createRouter, preloadPage } from './app/router.tsx';
import { registerServiceWorker, watchOfflineData } from './lib/offline-data.ts';
import { prefetchSession } from './lib/session.ts';
import './styles.css';

// The page's chunks, the session and the page's first reads are asked for at once, not one after
// the other as React meets them: on a slow phone network each round trip saved is a quarter of a
// second or more.
if (preloadPage(window.location.pathname, queryClient).asksForSession) prefetchSession(queryClient);

registerOfflineCommands();
watchOfflineData();
// After the page has loaded: the phone pages then open with no network (src/sw.ts).
registerServiceWorker();

/**
 * The rest of start-up waits for a task of its own: the scripts' evaluation above is already one
 * long task on a slow phone, and the router and the first render after it would make it longer
 * (Lighthouse counts each task's time over 50 ms as blocking).
 */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

// The stored language's words first (English is a separate download), then the app. The first
// render is a transition, so React renders it in slices that let the phone answer a tap in between.
void languageReady
  .catch(() => undefined)
  .then(nextTask)
  .then(() => {
    const router = createRouter();
    const root = createRoot(document.getElementById('root') as HTMLElement);
    startTransition(() =>
      root.render(
        <StrictMode>
          <Providers>
            <RouterProvider router={router} />
          </Providers>
        </StrictMode>,
      ),
    );
  });
