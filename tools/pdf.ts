/**
 * npm run pdf: prints reports/paper.html to reports/paper.pdf with headless Chromium, found as the
 * browser test finds it ($CHROMIUM_PATH, the PATH, Debian's /usr/bin/chromium). Not a pipeline step:
 * render stays pure and the pipeline never needs a browser. Chromium stamps its version and the date
 * into the PDF, so the PDF is git-ignored and outside the byte-for-byte check of reports/.
 *
 *   npm run pdf [-- <paper.html> <paper.pdf>]
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { findChromium } from '../test/setup/find-chromium.js';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The PDF of an HTML page, A4, with the page's own @page rules (landscape pages for wide tables). */
export async function printPdf(html: string, executablePath: string): Promise<Uint8Array> {
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    await page.emulateMedia({ media: 'print' });
    return new Uint8Array(await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true, outline: true, tagged: true }));
  } finally {
    await browser.close();
  }
}

async function main(args: string[]): Promise<number> {
  const [from = 'reports/paper.html', to = 'reports/paper.pdf'] = args;
  const found = findChromium();
  if ('missing' in found) {
    console.error(`pdf: ${found.missing}`);
    return 1;
  }
  let html: string;
  try {
    html = readFileSync(resolve(from), 'utf8');
  } catch {
    console.error(`pdf: cannot read ${from}; run npm run pipeline first, which writes it.`);
    return 1;
  }
  const pdf = await printPdf(html, found.path);
  // Written beside and renamed, so a killed run never leaves half a PDF.
  const tmp = `${resolve(to)}.tmp-${process.pid}`;
  writeFileSync(tmp, pdf);
  renameSync(tmp, resolve(to));
  console.log(`pdf: ${to} (${pdf.length} bytes, printed by ${found.path})`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main(process.argv.slice(2));
