import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { artifact, DataError, readOutputs } from '../../contract/step.js';

test('an artifact keeps a byte-order mark in its text', () => {
  const a = artifact('raw/x.csv', new Uint8Array([0xef, 0xbb, 0xbf, 0x61]));
  assert.is(a.text(), '\ufeffa');
});

test('json() names the file, line and column when the text is not JSON, not a character offset', () => {
  let error: unknown;
  try {
    artifact('raw/book.json', '{\n  "a": 1,\n  oops\n}').json();
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof DataError);
  assert.match(error.describe(), /^raw\/book\.json:3: not valid JSON: .* at column 3; open the file at this line and correct it$/);
  assert.not.match(error.describe(), /position/);
});

test('readOutputs gives every output as bytes, in name order', () => {
  const read = readOutputs({ 'b.csv': { content: 'x\n1\n', rows: 1 }, 'a.json': '{}', 'c.bin': new Uint8Array([1]) });
  assert.equal(Object.keys(read), ['a.json', 'b.csv', 'c.bin']);
  assert.is(new TextDecoder().decode(read['b.csv']), 'x\n1\n');
  assert.equal([...read['c.bin']!], [1]);
});

test('a data error names file, line, column and value', () => {
  const e = new DataError('unknown answer label', { file: 'raw/2013/barnet.csv', line: 12, column: 'Q3', value: 'Sometims' });
  assert.is(e.describe(), 'raw/2013/barnet.csv:12, column "Q3", value "Sometims": unknown answer label');
});

test('a value is shown safely: control characters escaped, a long one cut with its length', () => {
  const control = new DataError('bad', { value: 'a\u0000b\u001b[31m' });
  assert.is(control.describe(), 'value "a\\u0000b\\u001b[31m": bad');
  const long = new DataError('bad', { value: 'x'.repeat(1_048_576) });
  assert.is(long.describe(), `value "${'x'.repeat(80)}…" (1,048,576 characters): bad`);
  assert.is(new DataError('bad', { value: 4 }).describe(), 'value 4: bad');
});

test.run();
