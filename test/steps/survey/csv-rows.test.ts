import { parse } from 'csv-parse/sync';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hashBytes, plainLayout, plainPieces, readWithCsvParse, scanPlainRows } from '../../../steps/survey/csv-rows.js';

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

/**
 * Reads a file as clean does: plain pieces of about `pieceBytes` while it is plain, csv-parse from the
 * first row a plain piece cannot read (or from the start). Also checks every cell's hash.
 */
function read(input: Uint8Array, pieceBytes = 1 << 20) {
  const rows: [string[], number][] = [];
  const decode = (s: number, e: number) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(input.subarray(s, e));
  let reader = 'csv-parse';
  try {
    const layout = plainLayout(input);
    let skip = 0;
    if (layout) {
      reader = 'plain';
      rows.push([layout.header, 1]);
      skip = 1;
      for (const piece of plainPieces(input, layout, pieceBytes)) {
        const got = scanPlainRows(input, piece, layout.header.length, (starts, ends, hashes, line) => {
          const cells = [...starts].map((s, i) => decode(s, ends[i]!));
          cells.forEach((_, i) => assert.is(hashes[i], hashBytes(input, starts[i]!, ends[i]!), 'hash of a cell'));
          rows.push([cells, line]);
        });
        skip += got.rows;
        if (got.handover !== undefined) {
          reader = 'plain, then csv-parse';
          break;
        }
      }
      if (reader === 'plain') return { out: { rows }, reader };
    }
    readWithCsvParse(input, (r, line) => rows.push([r, line]), skip);
  } catch (e) {
    const err = e as Error & { lines?: number };
    return { out: { rows, error: [err.message, err.lines] }, reader };
  }
  return { out: { rows }, reader };
}

const cases: Record<string, [input: string | number[], reader: string | undefined]> = {
  'plain file': ['ID,Q1\nS1,often\nS2,never\n', 'plain'],
  'no newline at the end': ['ID,Q1\nS1,often\nS2,never', 'plain'],
  'Windows line ends': ['ID,Q1\r\nS1,often\r\nS2,never\r\n', 'plain'],
  'blank lines, counted but skipped': ['ID,Q1\n\nS1,often\n\n\nS2,never\n\n', 'plain'],
  'blank lines with Windows ends': ['ID,Q1\r\n\r\nS1,often\r\n\r\nS2,never\r\n', 'plain'],
  'header naming columns in quotes, with commas': ['"ID","How often, if at all?"\nS1,often\n', 'plain'],
  'a byte-order mark inside the data stays in its cell': [[...bytes('ID,Q1\n'), 0xef, 0xbb, 0xbf, ...bytes('S1,often\n')], 'plain'],
  'cells with spaces and tabs': ['ID,Q1\nS1, Often\t\n   \n', 'plain, then csv-parse'],
  'a quoted line break in the data': ['ID,Q1\n"S\n1",often\n\nS2,never\n', 'csv-parse'],
  'quoted cells in the data': ['ID,Q1\n"S1","often"\n', 'csv-parse'],
  'a header over two lines': ['"I\nD",Q1\nS1,often\n', 'csv-parse'],
  'a blank first line': ['\nID,Q1\nS1,often\n', 'csv-parse'],
  'mixed line ends': ['ID,Q1\r\nS1,often\nS2,never\r\n', 'csv-parse'],
  'a lone carriage return': ['ID,Q1\nS1,often\rS2,never\n', 'csv-parse'],
  'a stray quote inside a cell': ['ID,Q1\nS1,of"ten\n', 'csv-parse'],
  'a row with a cell missing': ['ID,Q1,Q2\nS1,often,never\nS2,often\nS3,never,often\n', 'plain, then csv-parse'],
  'a row with a cell too many': ['ID,Q1\nS1,often\nS2,often,never\n', 'plain, then csv-parse'],
  'invalid UTF-8 in the data': [[...bytes('ID,Q1\nS1,'), 0xff, 0xfe, ...bytes('\n')], 'csv-parse'],
  'header only': ['ID,Q1\n', 'plain'],
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

test('pieces of any size read the same rows and lines as one piece', () => {
  const b = bytes('ID,Q1\r\nS1,often\r\n\r\nS2,never\r\nS3,,\r\nS4,sometimes\r\n');
  const whole = read(b);
  for (const size of [1, 2, 5, 9, 13, 64]) assert.equal(read(b, size), whole, `pieces of ${size} bytes`);
  assert.equal(whole.out.error, ['Invalid Record Length: expect 2, got 3 on line 5', 5]);
});

test('pieces end after a line end and carry the line they start on', () => {
  const b = bytes('ID,Q1\nS1,often\n\nS2,never\nS3,often');
  const pieces = plainPieces(b, plainLayout(b)!, 4);
  assert.equal(
    pieces.map((p) => [new TextDecoder().decode(b.subarray(p.start, p.end)), p.firstLine]),
    [['S1,often\n', 2], ['\nS2,never\n', 3], ['S3,often', 5]],
  );
});

test.run();
