import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { csvCell, fixed, significant, toCsv } from '../../../lib/table/csv.js';

test('csv: text that a spreadsheet would run as a formula gets a leading apostrophe; numbers never do', () => {
  assert.is(csvCell('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
  assert.is(csvCell('+cmd'), "'+cmd");
  assert.is(csvCell('-x'), "'-x");
  assert.is(csvCell('@SUM(A1)'), "'@SUM(A1)");
  assert.is(csvCell('\tx'), "'\tx");
  assert.is(csvCell('-0.062'), '-0.062');
  assert.is(csvCell('+1.5e-7'), '+1.5e-7');
  assert.is(csvCell(-0.062), '-0.062');
  assert.is(csvCell('anti-social behaviour'), 'anti-social behaviour');
});

test('csv: quoting of commas, quotes and line breaks; empty cell for null', () => {
  assert.is(csvCell('crime, ASB'), '"crime, ASB"');
  assert.is(csvCell('say "hi"'), '"say ""hi"""');
  assert.is(csvCell('a\nb'), '"a\nb"');
  assert.is(csvCell(null), '');
  assert.is(toCsv(['a', 'b'], [[1, null], ['x,y', 'z']]), 'a,b\n1,\n"x,y",z\n');
  assert.throws(() => toCsv(['a', 'b'], [[1]]), /1 cells, header has 2/);
});

test('csv: fixed and significant print deterministically, without negative zero', () => {
  assert.is(fixed(-0.0000001, 6), '0.000000');
  assert.is(fixed(-0.0625, 2), '-0.06');
  assert.is(fixed(200 / 3, 2), '66.67');
  assert.is(fixed(null, 2), '');
  assert.is(fixed(NaN, 2), '');
  assert.is(significant(0.012345678), '0.0123457');
  assert.is(significant(1.23456789e-30), '1.23457e-30');
  assert.is(significant(0), '0');
  assert.is(significant(1), '1');
  assert.throws(() => fixed(Infinity, 2));
});

test.run();
