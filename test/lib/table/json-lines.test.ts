import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { jsonLineSpans, linesOf } from '../../../lib/table/json-lines.js';

test('each value spans the lines it is written on, by JSON Pointer', () => {
  const text = '{\n  "a": [\n    {"x": 1, "y": "b,]}"},\n    {\n      "x": 2\n    }\n  ],\n  "c/d": true\n}\n';
  const spans = jsonLineSpans(text);
  assert.equal(
    [...spans.entries()].sort(([a], [b]) => (a < b ? -1 : 1)),
    [
      ['', [1, 9]],
      ['/a', [2, 7]],
      ['/a/0', [3, 3]],
      ['/a/0/x', [3, 3]],
      ['/a/0/y', [3, 3]],
      ['/a/1', [4, 6]],
      ['/a/1/x', [5, 5]],
      ['/c~1d', [8, 8]],
    ],
  );
  assert.equal(linesOf(spans.get('/a/1')!), [4, 5, 6]);
});

test.run();
