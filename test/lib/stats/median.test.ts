import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { medianOfSorted } from '../../../lib/stats/median.js';

test('the median of sorted values: the middle one, or the mean of the middle two (R: median(c(1, 2, 4, 10)) is 3)', () => {
  assert.is(medianOfSorted([7]), 7);
  assert.is(medianOfSorted([1, 2, 9]), 2);
  assert.is(medianOfSorted([1, 2, 4, 10]), 3);
  assert.is(medianOfSorted(Float64Array.of(-1.5, 0.5)), -0.5);
  assert.throws(() => medianOfSorted([]), /median of no values/);
});

test.run();
