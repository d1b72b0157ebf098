/**
 * Opens paper.html in headless Chromium: tables and figures visible, no network request, no console
 * error; the table of contents and every cross-reference lead somewhere; numbers' data-cell addresses
 * hold the value of their CSV cell as printed and open the lineage panel; no table is wider than its A4
 * page in print; and the PDF that npm run pdf prints has A4 pages and every table's caption. Finds Chromium as test/setup/find-chromium.ts says ($CHROMIUM_PATH, the PATH, Debian's
 * /usr/bin/chromium); without one the test fails, saying how to install it, rather than skipping, so a
 * CI run without a browser cannot pass silently.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { chromium, type Browser, type Page } from 'playwright-core';
import { extractText, getDocumentProxy } from 'unpdf';
import { printPdf } from '../../../tools/pdf.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import render from '../../../steps/render.js';
import { fixture, fixtureInputs, text } from './fixture-inputs.js';
import { findChromium } from '../../setup/find-chromium.js';

const found = findChromium();
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SCREENSHOT = new URL('../../.tmp/render-paper.png', import.meta.url);
const shot = (name: string) => new URL(`../../.tmp/${name}.png`, import.meta.url).pathname;
const reports = new URL('../../../reports/', import.meta.url);
// The committed report: the real tables, as wide as the paper's, and the CSVs their numbers come from.
const published = readFileSync(new URL('paper.html', reports), 'utf8');
const csvCell = (file: string, row: number, column: string): string => {
  const [header, ...rows] = parse(readFileSync(new URL(`tables/${file}`, reports), 'utf8')) as string[][];
  return rows[row - 1]![header!.indexOf(column)]!;
};

async function open(html: string, viewport = { width: 1200, height: 900 }): Promise<{ browser: Browser; page: Page }> {
  if ('missing' in found) throw new Error(found.missing);
  const browser = await chromium.launch({ executablePath: found.path, args: ARGS });
  const page = await browser.newPage({ viewport });
  await page.setContent(html, { waitUntil: 'load' });
  return { browser, page };
}

/** A4 less the print margins paper.html's @page rules set (12 mm a side), in CSS pixels (96 per inch). */
const mm = (x: number) => (x * 96) / 25.4;
const A4_PORTRAIT = Math.floor(mm(210 - 24));
const A4_LANDSCAPE = Math.floor(mm(297 - 24));

// A hostile label rides along, so the page is also checked for running nothing from the data.
const hostile = fixture('table2.csv').replace('2014,Barnet,community safety', '2014,Barnet,<img src=x onerror=alert(1)><script>alert(2)</script>');
const html = text(await render(fixtureInputs({ replace: { table2: hostile } }), {}), 'paper.html');

test('paper.html shows its tables and figures in Chromium without fetching anything or logging errors', async () => {
  if ('missing' in found) return assert.unreachable(found.missing);
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: found.path, args: ARGS });
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const requests: string[] = [];
    const errors: string[] = [];
    const dialogs: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('dialog', async (d) => {
      dialogs.push(d.message());
      await d.dismiss();
    });
    await page.setContent(html, { waitUntil: 'load' });

    const tables = page.locator('figure.table table');
    assert.ok((await tables.count()) >= 8, `expected the paper's tables, found ${await tables.count()}`);
    for (const id of ['tbl-1', 'tbl-2', 'tbl-3', 'tbl-4', 'tbl-5']) assert.ok(await page.locator(`#${id} table`).isVisible(), `${id} visible`);
    const figures = page.locator('figure.chart svg');
    assert.is(await figures.count(), 5);
    for (let i = 0; i < 5; i++) {
      const box = await figures.nth(i).boundingBox();
      assert.ok(box && box.width > 100 && box.height > 50, `figure ${i} drawn at a readable size (${JSON.stringify(box)})`);
    }
    assert.ok((await page.locator('#tbl-2').innerText()).includes('<script>alert(2)</script>'), 'the hostile label shows as text');
    assert.equal(requests, [], 'no network requests');
    assert.equal(errors, [], 'no console errors');
    assert.equal(dialogs, [], 'nothing from the data ran');

    mkdirSync(new URL('.', SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT.pathname, fullPage: true });
    console.log(`  screenshot: ${SCREENSHOT.pathname}`);
  } finally {
    await browser?.close();
  }
});

test('the table of contents and every cross-reference lead to an element of the page; the article\'s wave is one click away', async () => {
  if ('missing' in found) return assert.unreachable(found.missing);
  const { browser, page } = await open(published);
  try {
    const toc = await page.$$eval('nav#toc a', (as) => as.map((a) => [a.getAttribute('href'), a.textContent]));
    assert.ok(toc.length > 20, `a table of contents of the sections, found ${toc.length} entries`);
    assert.ok(toc.some(([href, text]) => href === '#sec-wave-2013' && /2013/.test(text ?? '')), 'the 2013 tables are reached from the table of contents');
    const links = await page.$$eval('a[href^="#"]', (as) => as.map((a) => a.getAttribute('href')!));
    const xrefs = await page.$$eval('a.xref', (as) => as.map((a) => a.textContent));
    assert.ok(xrefs.length > 20, `cross-references link to their tables and figures (${xrefs.length})`);
    for (const href of new Set(links)) assert.ok(await page.locator(`[id="${href.slice(1)}"]`).count() === 1, `${href} resolves`);
    await page.locator('a.xref', { hasText: /^3$/ }).first().click();
    assert.is(await page.evaluate(() => location.hash), '#tbl-3');
    const headings = await page.$$eval('main > h2', (hs) => hs.map((h) => h.textContent ?? ''));
    for (const h of headings.filter((t) => /^\d\.|^Methods/.test(t))) assert.match(h, /\b(19|20)\d\d\b/, `"${h}" names its wave`);
  } finally {
    await browser.close();
  }
});

test('numbers carry the address of their CSV cell, show its value as printed, and open their lineage panel', async () => {
  if ('missing' in found) return assert.unreachable(found.missing);
  const { browser, page } = await open(published);
  try {
    const cells = await page.$$eval('[data-cell]', (es) => es.map((e): [string, string] => [e.getAttribute('data-cell')!, e.textContent!]));
    assert.ok(cells.length > 300, `the tables' numbers carry addresses (${cells.length})`);
    const files = new Set(cells.map(([ref]) => ref.split(':')[0]));
    const tables = ['table2', 'time-items', 'table3', 'table4', 'table5', 'balance', 'experiment', 'power', 'panel', 'paired-changes', 'correlation-changes', 'attrition', 'weighting', 'table2-weighted', 'reproduction', 'audit'];
    for (const file of tables) assert.ok(files.has(`${file}.csv`), `numbers of ${file}.csv carry their addresses`);
    // Every 5th number, so each table is sampled: the printed text is the CSV value at the printed decimals.
    for (const [ref, printed] of cells.filter((_, i) => i % 5 === 0)) {
      const [file, row, column] = ref.split(':');
      const value = Number(csvCell(file!, Number(row), column!));
      const decimals = printed.split('.')[1]?.length ?? 0;
      assert.ok(Math.abs(Number(printed) - value) <= 0.5 * 10 ** -decimals + 1e-9, `${ref}: printed ${printed}, CSV ${value}`);
    }
    const first = page.locator('#tbl-3 [data-cell]').first();
    const ref = await first.getAttribute('data-cell');
    assert.not.ok(await page.locator('#cell-panel').isVisible(), 'the panel is closed until a number is clicked');
    await first.click();
    const panel = page.locator('#cell-panel');
    assert.ok(await panel.isVisible(), 'clicking a number opens its panel');
    const text = await panel.innerText();
    for (const part of [`tables/${ref}`, 'correlate[', 'Cache key', 'index[', 'scores.arrow', 'Respondents', 'n = ', 'raw/', `npm run pipeline -- explain reports/tables/table3.csv --cell ${ref!.split(':').slice(1).join(':')}`])
      assert.ok(text.includes(part), `the panel names ${part}:\n${text}`);
    await page.screenshot({ path: shot('render-panel') });
    console.log(`  screenshot: ${shot('render-panel')}`);
    await page.keyboard.press('Escape');
    assert.not.ok(await panel.isVisible(), 'Escape closes it');
    // A number of the audit: its panel names the transcription's lines and the recomputed row it rests on.
    await page.locator('#tbl-s1 [data-cell]').first().click();
    const audit = await panel.innerText();
    for (const part of ['Rests on', 'raw/published-tables.json lines', 'explain reports/tables/audit.csv --cell']) assert.ok(audit.includes(part), `the audit panel names ${part}:\n${audit}`);
    await page.keyboard.press('Escape');
  } finally {
    await browser.close();
  }
});

test('in print no table is wider than its A4 page: wide tables get a landscape page, the rest fit a portrait one', async () => {
  if ('missing' in found) return assert.unreachable(found.missing);
  const { browser, page } = await open(published, { width: A4_PORTRAIT, height: 1100 });
  try {
    await page.emulateMedia({ media: 'print' });
    const overflowing = (width: number, wide: boolean) =>
      page.$$eval(
        'figure.table',
        (figs, [w, wanted]) => figs.filter((f) => f.classList.contains('wide') === wanted).flatMap((f) => {
          const right = Math.max(...[...f.querySelectorAll('table, th, td')].map((e) => e.getBoundingClientRect().right));
          return right > (w as number) + 0.5 ? [`${f.id} ends at ${Math.round(right)}px of ${w}`] : [];
        }),
        [width, wide] as const,
      );
    assert.equal(await overflowing(A4_PORTRAIT, false), [], 'portrait tables fit');
    await page.setViewportSize({ width: A4_LANDSCAPE, height: 800 });
    assert.equal(await overflowing(A4_LANDSCAPE, true), [], 'landscape tables fit');
    assert.ok((await page.locator('figure.table.wide').count()) >= 2, 'Tables 3 and 4 are printed landscape');
    await page.locator('#tbl-3').screenshot({ path: shot('render-print-table3') });
    console.log(`  screenshot: ${shot('render-print-table3')}`);
  } finally {
    await browser.close();
  }
});

test('the PDF has A4 pages, landscape ones for the wide tables, and every table\'s caption', async () => {
  if ('missing' in found) return assert.unreachable(found.missing);
  const pdf = await getDocumentProxy(await printPdf(published, found.path));
  const pages = await Promise.all(Array.from({ length: pdf.numPages }, (_, i) => pdf.getPage(i + 1)));
  const sizes = pages.map((p) => p.getViewport({ scale: 1 })).map((v) => [Math.round(v.width), Math.round(v.height)]);
  const wide = (published.match(/<figure class="table wide"/g) ?? []).length;
  const landscape = sizes.filter(([w, h]) => w === 842 && h === 595).length;
  assert.ok(sizes.every(([w, h]) => (w === 595 && h === 842) || (w === 842 && h === 595)), `every page is A4: ${JSON.stringify(sizes)}`);
  // Consecutive wide tables may share a landscape page, a long one may take two.
  assert.ok(wide >= 2 && landscape >= 1, `landscape pages (${landscape}) hold the ${wide} wide tables`);
  assert.ok(pdf.numPages > landscape, `${pdf.numPages} pages, ${landscape} of them landscape`);
  console.log(`  pdf: ${pdf.numPages} pages, ${landscape} landscape`);
  const { text } = await extractText(pdf, { mergePages: true });
  const flat = (s: string) => s.replace(/\s+/g, ' ').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').trim();
  const pdfText = flat(text as string);
  const captions = [...published.matchAll(/<figure class="table[^"]*" id="[^"]+">\n<figcaption>([\s\S]*?)<\/figcaption>/g)].map((m) => flat(m[1]!.replace(/<[^>]+>/g, '')));
  assert.ok(captions.length > 15, `${captions.length} captions`);
  for (const caption of captions) assert.ok(pdfText.includes(caption), `the PDF holds "${caption}"`);
});

test.run();
