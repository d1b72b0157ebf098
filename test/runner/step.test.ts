import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { artifact, DataError } from '../../runner/step.js';

test('an artifact keeps a byte-order mark in its text', () => {
  const a = artifact('raw/x.csv', new Uint8Array([0xef, 0xbb, 0xbf, 0x61]));
  assert.is(a.text(), '\ufeffa');
});

test('json() names the file when the text is not JSON', () => {
  assert.throws(() => artifact('raw/book.json', '{oops').json(), (e: unknown) => e instanceof DataError && (e as DataError).describe().startsWith('raw/book.json: not valid JSON'));
});

test('a data error names file, line, column and value', () => {
  const e = new DataError('unknown answer label', { file: 'raw/2013/barnet.csv', line: 12, column: 'Q3', value: 'Sometims' });
  assert.is(e.describe(), 'raw/2013/barnet.csv:12, column "Q3", value "Sometims": unknown answer label');
});

test.run();
