import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { languageReady } from './app/i18n.ts';
import { registerOfflineCommands } from './app/offline-commands.ts';
import { Providers } from './app/Providers.tsx';
import { router } from './app/router.tsx';
import './styles.css';

registerOfflineCommands();

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
