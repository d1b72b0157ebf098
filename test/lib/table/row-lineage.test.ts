import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { completeRanges, rangesOf, RowLineage, rowLineage, span } from '../../../lib/table/row-lineage.js';
import { lineageRows, type RowLineageFile } from '../../../contract/row-lineage.js';
import { expandedRows } from '../../row-lineage.js';

const validate = new (Ajv as any)({ allErrors: true }).compile(JSON.parse(readFileSync(new URL('../../../schemas/row-lineage.schema.json', import.meta.url), 'utf8')));

test('rows become ascending runs, repeats and order aside; complete cases come as runs straight from the columns', () => {
  assert.equal(rangesOf([9, 3, 4, 5, 3, 11, 10]), [
    [3, 5],
    [9, 11],
  ]);
  assert.equal(rangesOf([]), []);
  assert.equal(span(5, 3), [[5, 7]]);
  assert.equal(span(5, 0), []);
  // Rows 10-15 of a table (0-based start 10): the third and fifth miss a value in one column or the other.
  const x = Float64Array.from([1, 2, NaN, 4, 5, 6]);
  const y = Float64Array.from([1, 2, 3, 4, NaN, 6]);
  assert.equal(completeRanges(10, [x, y]), [
    [11, 12],
    [14, 14],
    [16, 16],
  ]);
});

test('each distinct set is written once; neighbouring rows on the same set are one run', () => {
  const lineage = new RowLineage(['index:scores.arrow'], ['row']);
  lineage.add([[0, [[1, 100]]]]);
  lineage.add([[0, [[1, 100]]]]);
  lineage.add([[0, [[1, 40], [42, 100]]]]);
  lineage.add([[0, [[1, 100]]]]);
  lineage.add([[0, []]]);
  const json = lineage.json();
  assert.equal(JSON.parse(json), {
    version: 2,
    inputs: ['index:scores.arrow'],
    units: ['row'],
    sets: [[[0, [[1, 100]]]], [[0, [[1, 40], [42, 100]]]], []],
    rows: [
      [2, 0],
      [1, 1],
      [1, 0],
      [1, 2],
    ],
  });
  assert.ok(validate(JSON.parse(json)), JSON.stringify(validate.errors));
});

test('rows on one ascending row each of one input are one run; a step back, another input or a shared row start another', () => {
  const lineage = new RowLineage(['raw/a.csv', 'raw/b.csv'], ['line', 'line']);
  for (const line of [2, 3, 4, 6, 7]) lineage.addOne(0, line, `a${line}`);
  lineage.addOne(1, 2, 'b2');
  lineage.addOne(1, 3, 'b3');
  lineage.addOne(0, 2, 'again');
  lineage.add([[1, [[2, 3]]]]);
  const json = lineage.json();
  assert.equal(JSON.parse(json), {
    version: 2,
    inputs: ['raw/a.csv', 'raw/b.csv'],
    units: ['line', 'line'],
    sets: [[[0, [[2, 4], [6, 7]]]], [[1, [[2, 3]]]], [[0, [[2, 2]]]]],
    rows: [
      [5, 0, 'each'],
      [2, 1, 'each'],
      [1, 2],
      [1, 1],
    ],
    keys: ['a2', 'a3', 'a4', 'a6', 'a7', 'b2', 'b3', 'again', ''],
  });
  assert.ok(validate(JSON.parse(json)), JSON.stringify(validate.errors));
  // Read back: row k of a one-each run rests on the k-th row of its set.
  assert.equal(expandedRows(json), [[[0, [2]]], [[0, [3]]], [[0, [4]]], [[0, [6]]], [[0, [7]]], [[1, [2]]], [[1, [3]]], [[0, [2]]], [[1, [2, 3]]]]);
});

test('a key first given on a later row leaves the earlier rows blank; no key at all writes no keys', () => {
  const keyed = new RowLineage(['t.csv'], ['row']);
  keyed.add([[0, [[1, 1]]]]);
  keyed.addOne(0, 2, 'x');
  assert.equal(JSON.parse(keyed.json()).keys, ['', 'x']);
  assert.not.ok('keys' in JSON.parse(rowLineage(['t.csv'], ['row'], [{ refs: [[0, [2, 1]]] }])));
});

test('the reader finds the run holding a row, and nothing past the last row', () => {
  const file: RowLineageFile = {
    version: 2,
    inputs: ['a', 'b'],
    units: ['row', 'row'],
    sets: [[[0, [[1, 2]]], [1, [[5, 5]]]], [[1, [[7, 9]]]]],
    rows: [
      [3, 0, 'each'],
      [2, 1],
    ],
  };
  const refsOf = lineageRows(file);
  assert.equal([1, 2, 3, 4, 5].map(refsOf), [[[0, [[1, 1]]]], [[0, [[2, 2]]]], [[1, [[5, 5]]]], [[1, [[7, 9]]]], [[1, [[7, 9]]]]]);
  assert.equal([0, 6, 1.5].map(refsOf), [undefined, undefined, undefined]);
});

test.run();
