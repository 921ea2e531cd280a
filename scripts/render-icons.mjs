// Renders the app icons (apps/web/public/icons/*.png) from icons/icon.svg with Debian's chromium, so
// the PNGs the phone puts on its home screen are made here, not downloaded. Run after editing the SVG:
// `node scripts/render-icons.mjs`. The SVG is full-bleed with the house inside the middle 60 %, so one
// picture serves as both an ordinary and a maskable icon. The tab's icon (favicon.png) is rendered
// from favicon.svg, drawn for small sizes: the page names only PNGs, because the browser draws an SVG
// icon as a little page of its own on the page's main thread (~20–30 ms each on the 2-core machine,
// counted by Lighthouse as blocking time), while a PNG is only decoded.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const icons = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../apps/web/public/icons');
const svg = fs.readFileSync(path.join(icons, 'icon.svg'), 'utf8');
const faviconSvg = fs.readFileSync(path.join(icons, '../favicon.svg'), 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
try {
  const pictures = [
    { size: 192, source: svg, name: 'icon-192.png' },
    { size: 512, source: svg, name: 'icon-512.png' },
    { size: 180, source: svg, name: 'apple-touch-icon.png' },
    { size: 48, source: faviconSvg, name: 'favicon.png', transparent: true },
  ];
  for (const { size, source, name, transparent } of pictures) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    await page.setContent(
      `<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${source}`,
    );
    await page.screenshot({ path: path.join(icons, name), omitBackground: transparent === true });
    await page.close();
    console.log(`wrote icons/${name}`);
  }
} finally {
  await browser.close();
}
