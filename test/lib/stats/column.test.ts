import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { extent } from '../../../lib/stats/column.js';

test('extent: smallest and largest, as Math.min and Math.max give them', () => {
  assert.equal(extent([3, -1, 2]), [-1, 3]);
  assert.equal(extent([]), [Infinity, -Infinity]);
  assert.equal(extent([1, NaN]).map(Number.isNaN), [true, true]);
});

test('extent: a million weights (spread into Math.min they overflow the call stack)', () => {
  const weights = Float64Array.from({ length: 1_000_000 }, (_, i) => 1 + (i % 997) / 10);
  assert.equal(extent(weights), [1, 1 + 996 / 10]);
  assert.throws(() => Math.min(...weights), RangeError);
});

test.run();
