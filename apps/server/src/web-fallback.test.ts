// What the server answers for addresses it has no route or file for, with the web app built beside
// it: a page address gets the app (its client routing shows the page or our Chinese not-found page);
// a browser opening an address with a file ending that is no file (/foo.html, /admin.php) gets the
// app as a 404 (its not-found page), not raw JSON; a missing script or picture, any /assets/ file and
// any API path stay a JSON 404, never index.html, which a browser would take for the file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../test/build-test-app.ts';

const webDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cunzhi-web-fallback-'));
fs.writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><html lang="zh-CN"><title>村治</title><div id="root"></div></html>');
fs.mkdirSync(path.join(webDir, 'assets'));
fs.writeFileSync(path.join(webDir, 'assets', 'index-abc.js'), 'console.log(1)');
afterAll(() => fs.rmSync(webDir, { recursive: true, force: true }));

const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('addresses with no route, the web app built', () => {
  const ctx = useTestApp('sqlite', async () => {}, { WEB_DIST_DIR: webDir });

  it('a page address gets the app, as before', async () => {
    const page = await ctx.app.inject({ url: '/m/nothing-here', headers: { accept: HTML } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<div id="root">');
  });

  it('a browser opening an address with a file ending gets our not-found page as a 404, not JSON', async () => {
    for (const url of ['/foo.html', '/m/notices.html', '/admin.php', '/admin.php?x=1']) {
      const answer = await ctx.app.inject({ url, headers: { accept: HTML, 'accept-language': 'zh-CN' } });
      expect(answer.statusCode, url).toBe(404);
      expect(answer.headers['content-type'], url).toContain('text/html');
      expect(answer.headers['cache-control'], url).toBe('no-cache');
      expect(answer.body, url).toContain('<div id="root">');
      expect(answer.body, url).not.toContain('route_not_found');
    }
  });

  it('a missing file asked for as a file, any /assets/ file and any API path stay a JSON 404', async () => {
    const asJson = [
      { url: '/admin.php', accept: '*/*' },
      { url: '/icons/missing.png', accept: 'image/avif,image/webp,*/*' },
      { url: '/assets/index-missing.js', accept: '*/*' },
      // Even opened in a browser tab: an /assets/ file is never the app's page.
      { url: '/assets/index-missing.js', accept: HTML },
      { url: '/api/nothing-here', accept: HTML },
      { url: '/api/nothing.html', accept: HTML },
      { url: '/open311/nothing.json', accept: HTML },
    ];
    for (const { url, accept } of asJson) {
      const answer = await ctx.app.inject({ url, headers: { accept, 'accept-language': 'zh-CN' } });
      expect(answer.statusCode, `${url} ${accept}`).toBe(404);
      expect(answer.headers['content-type'], `${url} ${accept}`).toContain('application/json');
      expect(answer.json().error.code).toBe('route_not_found');
    }
    // A file that is there is still served as itself.
    const script = await ctx.app.inject({ url: '/assets/index-abc.js' });
    expect(script.statusCode).toBe(200);
    expect(script.body).toBe('console.log(1)');
  });

  it('a POST to an address with a file ending stays a JSON 404', async () => {
    const answer = await ctx.app.inject({ method: 'POST', url: '/foo.html', headers: { accept: HTML }, payload: {} });
    expect(answer.statusCode).toBe(404);
    expect(answer.json().error.code).toBe('route_not_found');
  });
});
