import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { passThrough, readCsv, writeCsv } from '../../../lib/table/csv-read.js';
import { escapeHtml, escapeMarkdown, guardFormula } from '../../../lib/report/escape.js';
import { art } from '../../steps/render/fixture-inputs.js';

test('escapeHtml turns markup in labels into text', () => {
  assert.is(escapeHtml('<script>alert("x")</script> & \'y\''), '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;');
});

test('escapeMarkdown neutralises emphasis, code, links, tags, pipes and entities but leaves "p < .01" alone', () => {
  assert.is(escapeMarkdown('<script>x</script>'), '\\<script>x\\</script>');
  assert.is(escapeMarkdown('0.162** | *a* _b_ `c` [d](e) &amp;'), '0.162\\*\\* \\| \\*a\\* \\_b\\_ \\`c\\` \\[d\\](e) \\&amp;');
  assert.is(escapeMarkdown('p < .01 & Crime & ASB'), 'p < .01 & Crime & ASB');
  assert.is(escapeMarkdown('> quoted\nline'), '\\> quoted line');
});

test('guardFormula prefixes formula-like text with an apostrophe but keeps numbers', () => {
  assert.is(guardFormula('=HYPERLINK("http://x","y")'), '\'=HYPERLINK("http://x","y")');
  assert.is(guardFormula('@SUM(A1)'), "'@SUM(A1)");
  assert.is(guardFormula('+cmd'), "'+cmd");
  assert.is(guardFormula('-2+3'), "'-2+3");
  assert.is(guardFormula('\tx'), "'\tx");
  assert.is(guardFormula('-0.062'), '-0.062');
  assert.is(guardFormula('+1.5e-3'), '+1.5e-3');
  assert.is(guardFormula('crime & ASB'), 'crime & ASB');
});

test('writeCsv quotes commas, quotes and line breaks, and guards each cell', () => {
  assert.is(writeCsv(['a', 'b'], [['x,y', 'say "hi"'], ['=1+1', null], [-0.5, 'two\nlines']]), 'a,b\n"x,y","say ""hi"""\n\'=1+1,\n-0.5,"two\nlines"\n');
});

test('passThrough re-emits an analysis table with only the formula guard applied', () => {
  const columns = ['wave', 'area', 'r'].map((name) => ({ name, type: 'string', description: name }));
  const t = readCsv(art('index:t.csv', 'wave,area,r\n2013,=cmd|x,-0.062\n2013,"Derbyshire Dales",\n'), { file: 't.csv', step: 'index', schema: 'schemas/index.tables.json', columns });
  assert.is(passThrough(t), "wave,area,r\n2013,'=cmd|x,-0.062\n2013,Derbyshire Dales,\n");
});

test.run();
