import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { heading, paragraph } from '../../../lib/report/document.js';
import { toHtml } from '../../../lib/report/html.js';
import { toMarkdown } from '../../../lib/report/markdown.js';

const nav = (html: string) => html.slice(html.indexOf('<nav'), html.indexOf('</nav>') + 6);

test('the contents nest subsections under their section, and a section without any has no empty list', () => {
  const html = toHtml('t', [heading(1, 'T', 'title'), heading(2, '1. Data', 'sec-data'), heading(3, '1.1 Areas', 'sec-areas'), heading(2, 'References', 'sec-references')]);
  assert.is(
    nav(html),
    [
      '<nav class="toc" id="toc" aria-label="Contents">',
      '<h2>Contents</h2>',
      '<ol>',
      '<li><a href="#sec-data">1. Data</a><ol>',
      '<li><a href="#sec-areas">1.1 Areas</a></li>',
      '</ol></li>',
      '<li><a href="#sec-references">References</a></li>',
      '</ol>',
      '</nav>',
    ].join('\n'),
  );
});

test('a number of the prose read from a cell carries its address in HTML and prints plain in Markdown', () => {
  const blocks = [paragraph('rose by ', { text: '5.7', ref: 'paired-changes.csv:3:mean_change' }, ' points')];
  assert.match(toHtml('t', blocks), '<p>rose by <span data-cell="paired-changes.csv:3:mean_change" tabindex="0">5.7</span> points</p>');
  assert.is(toMarkdown(blocks), 'rose by 5.7 points\n');
});

test.run();
