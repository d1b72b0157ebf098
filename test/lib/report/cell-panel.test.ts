import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { restsOn } from '../../../lib/report/cell-panel.js';

test("the panel names what a row of a sidecar rests on, lines in runs; a row resting on nothing is left out", () => {
  const sidecar = JSON.stringify({ inputs: ['raw/published-tables.json', 'tables/table3.csv'], units: ['line', 'row'], rows: [[[0, [4, 9, 10, 11]], [1, [2]]], [], [[1, [5, 6]]]] });
  assert.equal(restsOn('audit.csv', sidecar), {
    'audit.csv:1': { n: null, files: [], on: ['raw/published-tables.json lines 4, 9-11', 'tables/table3.csv row 2'] },
    'audit.csv:3': { n: null, files: [], on: ['tables/table3.csv rows 5-6'] },
  });
});

test.run();
