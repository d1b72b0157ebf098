import { parse } from 'csv-parse/sync';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { forEachCsvRow } from '../../../steps/survey/csv-rows.js';

const bytes = (s: string | number[]) => (typeof s === 'string' ? new TextEncoder().encode(s) : new Uint8Array(s));

/** What csv-parse alone reads (rows with their end lines), or the error it throws. */
function reference(input: Uint8Array) {
  const rows: [string[], number][] = [];
  try {
    parse(input, { skip_empty_lines: true, on_record: (r: string[], ctx) => (rows.push([r, ctx.lines]), null) });
  } catch (e) {
    const err = e as Error & { lines?: number };
    return { rows, error: [err.message, err.lines] };
  }
  return { rows };
}

function read(input: Uint8Array) {
  const rows: [string[], number][] = [];
  let reader: string | undefined;
  try {
    forEachCsvRow(input, (r, line) => rows.push([r, line]), (r) => (reader = r));
  } catch (e) {
    const err = e as Error & { lines?: number };
    return { out: { rows, error: [err.message, err.lines] }, reader };
  }
  return { out: { rows }, reader };
}

const cases: Record<string, [input: string | number[], reader: string | undefined]> = {
  'plain file': ['ID,Q1\nS1,often\nS2,never\n', 'd3-dsv'],
  'no newline at the end': ['ID,Q1\nS1,often\nS2,never', 'd3-dsv'],
  'Windows line ends': ['ID,Q1\r\nS1,often\r\nS2,never\r\n', 'd3-dsv'],
  'blank lines, counted but skipped': ['ID,Q1\n\nS1,often\n\n\nS2,never\n\n', 'd3-dsv'],
  'blank lines with Windows ends': ['ID,Q1\r\n\r\nS1,often\r\n\r\nS2,never\r\n', 'd3-dsv'],
  'header naming columns in quotes, with commas': ['"ID","How often, if at all?"\nS1,often\n', 'd3-dsv'],
  'a byte-order mark inside the data stays in its cell': [[...bytes('ID,Q1\n'), 0xef, 0xbb, 0xbf, ...bytes('S1,often\n')], 'd3-dsv'],
  'cells with spaces and tabs': ['ID,Q1\nS1, Often\t\n   \n', 'd3-dsv, then csv-parse'],
  'a quoted line break in the data': ['ID,Q1\n"S\n1",often\n\nS2,never\n', 'csv-parse'],
  'quoted cells in the data': ['ID,Q1\n"S1","often"\n', 'csv-parse'],
  'a header over two lines': ['"I\nD",Q1\nS1,often\n', 'csv-parse'],
  'a blank first line': ['\nID,Q1\nS1,often\n', 'csv-parse'],
  'mixed line ends': ['ID,Q1\r\nS1,often\nS2,never\r\n', 'csv-parse'],
  'a lone carriage return': ['ID,Q1\nS1,often\rS2,never\n', 'csv-parse'],
  'a stray quote inside a cell': ['ID,Q1\nS1,of"ten\n', 'csv-parse'],
  'a row with a cell missing': ['ID,Q1,Q2\nS1,often,never\nS2,often\nS3,never,often\n', 'd3-dsv, then csv-parse'],
  'a row with a cell too many': ['ID,Q1\nS1,often\nS2,often,never\n', 'd3-dsv, then csv-parse'],
  'invalid UTF-8 in the data': [[...bytes('ID,Q1\nS1,'), 0xff, 0xfe, ...bytes('\n')], 'csv-parse'],
  'header only': ['ID,Q1\n', 'd3-dsv'],
  'nothing at all': ['', 'csv-parse'],
};

for (const [name, [input, reader]] of Object.entries(cases)) {
  test(`reads rows and line numbers exactly as csv-parse does: ${name}`, () => {
    const b = bytes(input);
    const got = read(b);
    assert.equal(got.out, reference(b));
    assert.is(got.reader, reader);
  });
}

test('a row with a cell missing fails with csv-parse\'s own message and line', () => {
  const got = read(bytes('ID,Q1,Q2\nS1,often,never\n\nS2,often\n'));
  assert.equal(got.out.error, ['Invalid Record Length: expect 3, got 2 on line 4', 4]);
  assert.equal(got.out.rows.map(([, line]) => line), [1, 2]);
});

test('an error thrown by the row handler stops the read and passes through unchanged', () => {
  const boom = new Error('stop at S2');
  const seen: string[] = [];
  try {
    forEachCsvRow(bytes('ID\nS1\nS2\nS3\n'), (r) => {
      seen.push(r[0]!);
      if (r[0] === 'S2') throw boom;
    });
    assert.unreachable('should throw');
  } catch (e) {
    assert.is(e, boom);
  }
  assert.equal(seen, ['ID', 'S1', 'S2']);
});

test.run();
