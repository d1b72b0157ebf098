import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { count, fixed, list, longList, numberWord } from '../../../lib/report/words.js';

test('count pluralises and spells small numbers', () => {
  assert.is(count(0, 'cell'), 'no cells');
  assert.is(count(1, 'cell'), 'one cell');
  assert.is(count(3, 'cell'), 'three cells');
  assert.is(count(12, 'cell'), '12 cells');
  assert.is(count(2, 'analysis', 'analyses'), 'two analyses');
});

test('numberWord says none at zero', () => {
  assert.is(numberWord(0), 'none');
  assert.is(numberWord(7), 'seven');
  assert.is(numberWord(36), '36');
});

test('list joins with commas and "and", and names the empty case', () => {
  assert.is(list([]), 'none');
  assert.is(list(['a']), 'a');
  assert.is(list(['a', 'b']), 'a and b');
  assert.is(list(['a', 'b', 'c']), 'a, b and c');
  assert.is(longList(['a, x', 'b', 'c']), 'a, x; b; and c');
});

test('fixed never prints a negative zero', () => {
  assert.is(fixed(-0.0004, 3), '0.000');
  assert.is(fixed(-0.0006, 3), '-0.001');
  assert.is(fixed(0.1605, 3), '0.161');
});

test.run();
