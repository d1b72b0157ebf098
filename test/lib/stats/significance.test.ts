import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { stars } from '../../../lib/stats/significance.js';

test('two stars below .01, one below .05, none from .05 up (boundaries excluded)', () => {
  assert.equal([0, 0.0099, 0.01, 0.0499, 0.05, 0.2, 1].map(stars), ['**', '**', '*', '*', '', '', '']);
});

test('a missing or impossible p-value is refused rather than starred blank', () => {
  assert.throws(() => stars(NaN), /got NaN/);
  assert.throws(() => stars(-0.1), /got -0.1/);
});

test.run();
