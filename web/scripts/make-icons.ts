// Renders the PWA's PNG icons (192, 512, and a maskable 512 with a safe margin) from
// public/icon.svg with Chromium screenshots — no download, no image library.
// Run once after changing the SVG: `npx tsx web/scripts/make-icons.ts`; the PNGs are committed.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const pub = fileURLToPath(new URL('../public/', import.meta.url));
const svg = readFileSync(`${pub}icon.svg`, 'utf8');

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  for (const { size, file, maskable } of [
    { size: 192, file: 'icon-192.png', maskable: false },
    { size: 512, file: 'icon-512.png', maskable: false },
    { size: 512, file: 'icon-maskable-512.png', maskable: true },
  ]) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    // maskable: full-bleed red background, the mark inside the 80 % safe zone
    const inner = maskable ? Math.round(size * 0.8) : size;
    await page.setContent(`<html><body style="margin:0;background:${maskable ? '#c8102e' : 'transparent'};display:flex;align-items:center;justify-content:center;width:${size}px;height:${size}px">${svg.replace('<svg ', `<svg width="${inner}" height="${inner}" `)}</body></html>`);
    await page.screenshot({ path: `${pub}${file}`, omitBackground: !maskable });
    await page.close();
    console.log(`${file} ${size}×${size}`);
  }
} finally {
  await browser.close();
}
