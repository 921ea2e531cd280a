import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin, type Rollup, transformWithOxc } from 'vite';

/** The app's start (React DOM, the providers), imported by the entry once the page's downloads have started. */
const START = 'src/app/start.tsx';

/**
 * The phone pages, which must open with no network: their chunks (and what they import) are
 * precached by the service worker, with the app's start. Desk pages are cached when first opened,
 * not downloaded ahead.
 */
const OFFLINE_PAGES = [
  START,
  'src/features/auth/components/LoginPage.tsx',
  'src/app/AppLayout.tsx',
  'src/app/HomePage.tsx',
  // The header's 长辈版 switch and read-aloud button (a chunk of their own, loaded after the page).
  'src/app/home/HeaderTools.tsx',
  'src/features/cases/components/ReportPage.tsx',
  'src/features/cases/components/MyCasesPage.tsx',
  'src/features/cases/components/TasksPage.tsx',
  'src/features/cases/components/CaseDetailPage.tsx',
  'src/features/notifications/components/NotificationsPage.tsx',
  'src/features/points/components/MyPointsPage.tsx',
  'src/features/care/components/FamilyCarePage.tsx',
  'src/features/care/components/RoundsPage.tsx',
  'src/features/services/components/ServicesPage.tsx',
  'src/features/services/components/ApplicationPage.tsx',
  'src/features/notices/components/NoticesPage.tsx',
  'src/features/org/components/HouseholdDetailPage.tsx',
];
/** Files from public/ the installed app needs offline. */
const OFFLINE_PUBLIC = ['/index.html', '/manifest.webmanifest', '/icons/favicon.png', '/icons/icon-192.png', '/icons/icon-512.png'];

/**
 * Writes dist/sw.js from src/sw.ts with this build's precache list and version in it, so every
 * build that changes what the phone loads is a new service worker (the browser compares its bytes).
 */
function serviceWorker(): Plugin {
  return {
    name: 'cunzhi-service-worker',
    apply: 'build',
    enforce: 'post',
    async generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((file) => file.type === 'chunk');
      const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
      const files = new Set<string>();
      const add = (fileName: string) => {
        if (files.has(fileName)) return;
        files.add(fileName);
        const chunk = byName.get(fileName);
        if (!chunk) return;
        for (const css of chunk.viteMetadata?.importedCss ?? []) files.add(css);
        for (const dep of chunk.imports) add(dep);
      };
      for (const chunk of chunks) {
        const source = chunk.facadeModuleId?.replaceAll('\\', '/') ?? '';
        if (chunk.isEntry || OFFLINE_PAGES.some((page) => source.endsWith(`/${page}`))) add(chunk.fileName);
      }
      const missing = OFFLINE_PAGES.filter(
        (page) => !chunks.some((chunk) => chunk.facadeModuleId?.replaceAll('\\', '/').endsWith(`/${page}`)),
      );
      if (missing.length > 0) this.error(`service worker: no chunk for ${missing.join(', ')} (vite.config.ts OFFLINE_PAGES)`);
      const precache = [...OFFLINE_PUBLIC, ...[...files].sort().map((file) => `/${file}`)];
      const version = createHash('sha256').update(precache.join('\n')).digest('hex').slice(0, 12);
      const source = fs.readFileSync(new URL('./src/sw.ts', import.meta.url), 'utf8');
      const { code } = await transformWithOxc(source, 'sw.ts', { lang: 'ts' });
      const script = `const PRECACHE_LIST = ${JSON.stringify(precache)};\nconst BUILD_VERSION = '${version}';\n${code.replace(/^export \{\};?\s*$/m, '')}`;
      this.emitFile({ type: 'asset', fileName: 'sw.js', source: script });
    },
  };
}

/**
 * Puts the entry's stylesheet (styles.css, a few KB compressed) into index.html itself. As a
 * <link>, the phone waited for one more request before it could paint even the loading text (on
 * slow 4G, Lighthouse counted it as ~180 ms of render-blocking time); index.html is fetched anyway.
 * The file stays in the build (the service worker's list names it), named by a disabled <link>,
 * which the browser does not fetch: Vite's loader of lazy chunks looks for that <link> before it
 * adds a stylesheet a chunk depends on, and every chunk that imports from the entry depends on the
 * entry's styles. Without it the layout's chunk loaded all of styles.css a second time, at the
 * highest priority, and the browser recomputed every element's style with the rules twice over.
 */
function inlineEntryCss(): Plugin {
  return {
    name: 'cunzhi-inline-entry-css',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, { bundle }) {
        if (!bundle) return html;
        return html.replace(/<link rel="stylesheet"[^>]*href="\/([^"]+\.css)"[^>]*>/g, (link, fileName: string) => {
          const asset = bundle[fileName];
          if (asset?.type !== 'asset') return link;
          const css = typeof asset.source === 'string' ? asset.source : new TextDecoder().decode(asset.source);
          // A stylesheet cannot end a <style> element early, but a stray "</style" in a string could.
          if (/<\/style/i.test(css)) return link;
          return `<style>${css}</style><link rel="stylesheet" href="/${fileName}" disabled>`;
        });
      },
    },
  };
}

/**
 * React Router's package points every bundler at its development build, production included
 * (remix-run/react-router#12532, #14102): its dev-only warnings and checks then run on every phone.
 * A build takes its production build instead; the dev server keeps the warnings.
 */
const reactRouterProduction = createRequire(import.meta.url)
  .resolve('react-router/package.json')
  .replace(/package\.json$/, 'dist/production/index.mjs');

/**
 * Names the app's start chunk and what it imports in index.html (<link rel="modulepreload">), so the
 * browser fetches them beside the entry: the entry imports the start only after it has started the
 * page's own downloads (main.tsx), and without the links its fetch would wait for that.
 */
function preloadStart(): Plugin {
  return {
    name: 'cunzhi-preload-start',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, { bundle }) {
        if (!bundle) return html;
        const chunks = new Map<string, Rollup.OutputChunk>();
        for (const file of Object.values(bundle)) if (file.type === 'chunk') chunks.set(file.fileName, file);
        const start = [...chunks.values()].find((chunk) => chunk.facadeModuleId?.replaceAll('\\', '/').endsWith(`/${START}`));
        if (!start) throw new Error(`preloadStart: no chunk for ${START}`);
        const files = new Set<string>();
        const add = (fileName: string) => {
          if (files.has(fileName)) return;
          files.add(fileName);
          for (const imported of chunks.get(fileName)?.imports ?? []) add(imported);
        };
        add(start.fileName);
        const links = [...files]
          .filter((fileName) => !html.includes(`/${fileName}"`))
          .map((fileName) => `<link rel="modulepreload" crossorigin href="/${fileName}">`);
        return html.replace('</head>', `  ${links.join('\n    ')}\n  </head>`);
      },
    },
  };
}

/**
 * Chunks of their own for what every phone page loads: the libraries the app starts with ('boot':
 * React, React Router, react-query, i18next) and the small plain modules the phone pages share
 * ('phone-ui': lib/ and the plain components). Left to the bundler, these were some 30 files of
 * 1-3 KB per phone page, and each file is one more request and module for a slow phone (Lighthouse
 * traces: the family page's main thread busy 659 -> 486 ms and its LCP 3.1 -> 2.6 s simulated with
 * the two groups). Listed by name, not by folder, so that nothing heavy joins them unnoticed; and
 * checkChunkGroups fails the build if either takes in anything else.
 */
const BOOT_PACKAGES =
  /node_modules[\\/](react|react-router|@tanstack[\\/](query-core|react-query)|i18next|react-i18next|use-sync-external-store|scheduler)[\\/]/;
const PHONE_UI_LIB = [
  'api-client',
  'elder-mode',
  'field-errors',
  'format-time',
  'households',
  'i18n',
  'i18n-shared',
  'new-id',
  'offline-data',
  'offline-words',
  'outbox',
  'people',
  'read-aloud',
  'session',
  'session-ended',
  'shrink-photo',
  'use-live-events',
  'use-media-query',
  'use-paged-query',
  'use-photo-send',
  'use-refresh-when-sent',
];
const PHONE_UI_COMPONENTS = [
  'Button',
  'ElderModeSwitch',
  'FilePicker',
  'ItemList',
  'LanguageSwitch',
  'Light',
  'OfflineBanner',
  'OutboxBanner',
  'PageLoading',
  'Panel',
  'PhotoPicker',
  'ReadAloudButton',
  'SideDrawer',
  'Sparkline',
];
const PHONE_UI_FILES = [
  ...PHONE_UI_LIB.map((name) => `/src/lib/${name}.ts`),
  ...PHONE_UI_COMPONENTS.map((name) => `/src/components/${name}.tsx`),
];
const isPhoneUi = (id: string) => PHONE_UI_FILES.some((file) => id.replaceAll('\\', '/').endsWith(file));

/**
 * Fails the build when the 'boot' or 'phone-ui' chunk holds any module but those named above: the
 * bundler puts what a named module imports into its group too, so one heavy import (antd, say) would
 * otherwise land in every phone page's first load.
 */
function checkChunkGroups(): Plugin {
  const belongs: Record<string, (id: string) => boolean> = { boot: (id) => BOOT_PACKAGES.test(id), 'phone-ui': isPhoneUi };
  return {
    name: 'cunzhi-check-chunk-groups',
    apply: 'build',
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        const belongsHere = file.type === 'chunk' ? belongs[file.name] : undefined;
        if (file.type !== 'chunk' || !belongsHere) continue;
        const strangers = file.moduleIds.filter((id) => !belongsHere(id));
        if (strangers.length > 0)
          this.error(
            `the '${file.name}' chunk took in ${strangers.slice(0, 5).join(', ')}: imported by a module of BOOT_PACKAGES or PHONE_UI_FILES`,
          );
      }
    },
  };
}

export default defineConfig(({ command }) => ({
  plugins: [react(), serviceWorker(), inlineEntryCss(), preloadStart(), checkChunkGroups()],
  resolve: command === 'build' ? { alias: [{ find: /^react-router$/, replacement: reactRouterProduction }] } : {},
  build: {
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'boot', test: BOOT_PACKAGES, priority: 2 },
            { name: 'phone-ui', test: isPhoneUi, priority: 1 },
          ],
        },
      },
    },
    manifest: true,
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: { '/api': 'http://localhost:3000' },
  },
}));
