// The app itself, started by main.tsx once the page's downloads are under way.
import { StrictMode, startTransition } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { registerServiceWorker, watchOfflineData } from '../lib/offline-data.ts';
import { languageReady } from './i18n.ts';
import { registerOfflineCommands } from './offline-commands.ts';
import { Providers } from './Providers.tsx';
import { queryClient } from './query-client.ts';
import { createRouter } from './router.tsx';

/** Lets the browser answer a tap between the steps of start-up instead of one long task. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * `pageArrived`: the address's layout and page chunks are in (main.tsx, preloadPage). `made`: the
 * router, when main.tsx had to make it to know the address's chunks; else it is made here, in a task
 * of its own while the chunks download.
 */
export function startApp(made: ReturnType<typeof createRouter> | undefined, pageArrived: Promise<void>): void {
  registerOfflineCommands();
  watchOfflineData();
  // After the page has loaded: the phone pages then open with no network (src/sw.ts).
  registerServiceWorker(() => queryClient.refetchQueries({ type: 'active' }));
  const router = made ? Promise.resolve(made) : nextTask().then(createRouter);

  // The stored language's words first (English is a separate download) and the page's chunks, then
  // the app: index.html's loading screen stays until React can draw the page, instead of an empty
  // page while the chunks arrive. The first render is a transition, so React renders it in slices
  // that let the phone answer a tap in between.
  void Promise.all([router, languageReady.catch(() => undefined), pageArrived]).then(async ([router]) => {
    await nextTask();
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
}
