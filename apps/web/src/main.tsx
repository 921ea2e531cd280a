import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { languageReady } from './app/i18n.ts';
import { registerOfflineCommands } from './app/offline-commands.ts';
import { Providers } from './app/Providers.tsx';
import { router } from './app/router.tsx';
import { registerServiceWorker, watchOfflineData } from './lib/offline-data.ts';
import './styles.css';

registerOfflineCommands();
watchOfflineData();
// After the page has loaded: the phone pages then open with no network (src/sw.ts).
registerServiceWorker();

// The stored language's words first (English is a separate download), then the app.
void languageReady.finally(() =>
  createRoot(document.getElementById('root') as HTMLElement).render(
    <StrictMode>
      <Providers>
        <RouterProvider router={router} />
      </Providers>
    </StrictMode>,
  ),
);
