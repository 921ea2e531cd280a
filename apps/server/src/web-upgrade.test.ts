// A web build replaced in place while the server runs: the new index.html names new hashed assets
// that were not there when the server started; they are served from disk like the others, and
// nothing outside the built app's assets folder can be reached that way.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../test/build-test-app.ts';

const parentDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cunzhi-web-upgrade-'));
const webDir = path.join(parentDir, 'dist');
fs.mkdirSync(path.join(webDir, 'assets'), { recursive: true });
fs.writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><script src="/assets/index-old.js"></script>');
fs.writeFileSync(path.join(webDir, 'assets', 'index-old.js'), 'old()');
afterAll(() => fs.rmSync(parentDir, { recursive: true, force: true }));

describe('the web app rebuilt while the server runs', () => {
  const ctx = useTestApp('sqlite', async () => {}, { WEB_DIST_DIR: webDir });

  it('serves the new build’s hashed assets, with the same long cache as the ones found at startup', async () => {
    const before = await ctx.app.inject({ url: '/assets/index-old.js' });
    expect(before.statusCode).toBe(200);
    // The rebuild: a new page naming a new script.
    fs.writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><script src="/assets/index-new1.js"></script>');
    fs.writeFileSync(path.join(webDir, 'assets', 'index-new1.js'), 'fresh()');
    fs.writeFileSync(path.join(webDir, 'assets', 'index-new1.css'), 'body{}');

    const page = await ctx.app.inject({ url: '/' });
    expect(page.body).toContain('/assets/index-new1.js');
    const script = await ctx.app.inject({ url: '/assets/index-new1.js?v=1' });
    expect(script.statusCode).toBe(200);
    expect(script.body).toBe('fresh()');
    expect(script.headers['content-type']).toContain('javascript');
    expect(script.headers['cache-control']).toBe(before.headers['cache-control']);
    const style = await ctx.app.inject({ method: 'HEAD', url: '/assets/index-new1.css' });
    expect(style.statusCode).toBe(200);
    expect(style.headers['content-type']).toContain('text/css');
    // A name that is still not there stays the JSON 404.
    const missing = await ctx.app.inject({ url: '/assets/index-missing.js' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('route_not_found');
  });

  it('reaches nothing outside the assets folder, nor a folder inside it', async () => {
    fs.writeFileSync(path.join(parentDir, 'secret.txt'), 'secret');
    fs.writeFileSync(path.join(webDir, 'later.txt'), 'later');
    fs.mkdirSync(path.join(webDir, 'assets', 'sub'));
    fs.writeFileSync(path.join(webDir, 'assets', 'sub', 'x.js'), 'nested');
    fs.writeFileSync(path.join(webDir, 'assets', '.hidden'), 'hidden');
    for (const url of [
      '/assets/../../secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/assets/../later.txt',
      '/assets/sub/x.js',
      '/assets/sub',
      '/assets/.hidden',
      '/assets/',
    ]) {
      const answer = await ctx.app.inject({ url });
      expect(answer.statusCode, url).not.toBe(200);
      expect(answer.body, url).not.toMatch(/secret|later|nested|hidden/);
    }
    // A POST is not a file read.
    fs.writeFileSync(path.join(webDir, 'assets', 'index-new2.js'), 'two()');
    expect((await ctx.app.inject({ method: 'POST', url: '/assets/index-new2.js', payload: {} })).statusCode).toBe(404);
  });
});
