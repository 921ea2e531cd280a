// Renders the app icons (apps/web/public/icons/*.png) from icons/icon.svg with Debian's chromium, so
// the PNGs the phone puts on its home screen are made here, not downloaded. Run after editing the SVG:
// `node scripts/render-icons.mjs`. The SVG is full-bleed with the house inside the middle 60 %, so one
// picture serves as both an ordinary and a maskable icon.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const icons = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../apps/web/public/icons');
const svg = fs.readFileSync(path.join(icons, 'icon.svg'), 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
try {
  for (const size of [192, 512, 180]) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    await page.setContent(`<style>html,body{margin:0}svg{display:block;width:${size}px;height:${size}px}</style>${svg}`);
    const name = size === 180 ? 'apple-touch-icon.png' : `icon-${size}.png`;
    await page.screenshot({ path: path.join(icons, name), omitBackground: false });
    await page.close();
    console.log(`wrote icons/${name}`);
  }
} finally {
  await browser.close();
}
