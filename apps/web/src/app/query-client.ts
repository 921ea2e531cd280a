// The app's one query client: made before anything renders, so that main.tsx can start the page's
// first reads while the rest of the app is still being downloaded and evaluated.
import { onlineManager, QueryClient } from '@tanstack/react-query';
import { ApiError } from '../lib/api-client.ts';

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

// React Query takes itself to be online until an 'offline' event comes, and a page opened without
// signal has had none: its failed reads were retried at once, gave up, and the 'online' event that
// followed changed nothing, so a list that said 尚未载入 (联网后会自动更新) never updated. Starting
// from what the browser says, those reads wait (paused) and are made again once online.
if (typeof navigator !== 'undefined') onlineManager.setOnline(navigator.onLine);
