/**
 * Opens paper.html in headless Chromium: tables and figures visible, no network request, no console
 * error. Finds Chromium as test/setup/find-chromium.ts says ($CHROMIUM_PATH, the PATH, Debian's
 * /usr/bin/chromium); without one the test fails, saying how to install it, rather than skipping, so a
 * CI run without a browser cannot pass silently.
 */
import { mkdirSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import render from '../../../steps/render.js';
import { fixture, fixtureInputs, text } from './fixture-inputs.js';
import { findChromium } from '../../setup/find-chromium.js';

const found = findChromium();
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SCREENSHOT = new URL('../../.tmp/render-paper.png', import.meta.url);

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

test.run();
