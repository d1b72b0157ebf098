import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { minimumDetectableEffect, twoGroupSe } from '../../../lib/stats/power.js';
import { assertRelative, reference } from './r-reference.js';

for (const c of reference.mde) {
  test(`MDE at sigma ${c.sigma}, n ${c.n1} against ${c.n0}, df ${c.df} is R's closed form`, () => {
    const got = minimumDetectableEffect(twoGroupSe(c.sigma, c.n1, c.n0), c.df, { alpha: c.alpha, power: c.power });
    assertRelative(got, c.mde, 1e-12, 'MDE');
  });
}

test('with equal groups the closed form is within 0.1% of power.t.test\'s exact noncentral-t answer', () => {
  const exact = reference.mde.filter((c) => c.power_t_test !== null);
  assert.ok(exact.length > 0);
  for (const c of exact) assertRelative(c.mde, c.power_t_test!, 1e-3, 'closed form against power.t.test');
});

test('defaults are 5% two-sided and 80% power; nonsense is refused', () => {
  assert.is(minimumDetectableEffect(2, 100), minimumDetectableEffect(2, 100, { alpha: 0.05, power: 0.8 }));
  assert.throws(() => minimumDetectableEffect(0, 100), /standard error must be positive/);
  assert.throws(() => twoGroupSe(1, 0, 10), /both groups need respondents/);
});

test.run();
