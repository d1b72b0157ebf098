import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { artifact, DataError, readOutputs } from '../../runner/step.js';

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

test('readOutputs reads as the runner does: streams first, each piece copied before the next, then deferred outputs', () => {
  const buffer = new Uint8Array(2);
  let pieces = 0;
  function* stream() {
    for (const c of 'ab') {
      buffer[0] = c.charCodeAt(0);
      buffer[1] = 10;
      pieces++;
      yield buffer;
    }
  }
  const read = readOutputs({ 'a-summary.json': () => String(pieces), 'b.ndjson': { chunks: stream() } });
  const text = (name: string) => new TextDecoder().decode(read[name]);
  assert.equal(Object.keys(read), ['a-summary.json', 'b.ndjson']);
  assert.is(text('b.ndjson'), 'a\nb\n');
  assert.is(text('a-summary.json'), '2');
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
