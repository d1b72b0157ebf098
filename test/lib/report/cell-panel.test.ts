import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { restsOn } from '../../../lib/report/cell-panel.js';

test("the panel names what a row of a sidecar rests on, lines in runs; a row resting on nothing is left out", () => {
  const sidecar = JSON.stringify({
    version: 2,
    inputs: ['raw/published-tables.json', 'tables/table3.csv'],
    units: ['line', 'row'],
    sets: [[[0, [[4, 4], [9, 11]]], [1, [[2, 2]]]], [], [[1, [[5, 6]]]], [[1, [[7, 8]]]]],
    rows: [[1, 0], [1, 1], [1, 2], [2, 3, 'each']],
  });
  assert.equal(restsOn('audit.csv', sidecar), {
    'audit.csv:1': { n: null, files: [], on: ['raw/published-tables.json lines 4, 9-11', 'tables/table3.csv row 2'] },
    'audit.csv:3': { n: null, files: [], on: ['tables/table3.csv rows 5-6'] },
    // Rows 4 and 5 rest one each on rows 7 and 8.
    'audit.csv:4': { n: null, files: [], on: ['tables/table3.csv row 7'] },
    'audit.csv:5': { n: null, files: [], on: ['tables/table3.csv row 8'] },
  });
});

test.run();
