import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { exportText, otherSeparator, placeOf, unclosedQuoteAt } from '../../../lib/survey/export-text.js';

test('UTF-8 text comes back as it is; a byte-order mark is stripped and said', () => {
  assert.equal(exportText('f.csv', new TextEncoder().encode('a,b\n')), { text: 'a,b\n', bom: false });
  assert.equal(exportText('f.csv', new Uint8Array([0xef, 0xbb, 0xbf, 0x61])), { text: 'a', bom: true });
});

test('an unclosed quote is found where it opens; escaped and closed quotes are not', () => {
  assert.is(unclosedQuoteAt('a,"b\nc,d\n'), 2);
  assert.is(unclosedQuoteAt('a,"b""c"\n"x\ny",z\n'), undefined);
  assert.is(unclosedQuoteAt('a,b"c\n'), undefined, 'a quote inside an unquoted cell is a character');
});

test('an offset is placed at its line and under its header column', () => {
  const text = 'ID,Q1,Q2\nS1,"a,b",c\n';
  assert.equal(placeOf(text, text.indexOf('c\n')), { line: 2, column: 'Q2' });
  assert.equal(placeOf(text, 0), { line: 1, column: 'ID' });
});

test('a one-column header with another separator in it is named', () => {
  assert.is(otherSeparator(['ID;Q1;Q2']), 'semicolons');
  assert.is(otherSeparator(['ID\tQ1']), 'tabs');
  assert.is(otherSeparator(['ID', 'Q1']), undefined);
});

test.run();
