import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { armContrastsHC3, standardisedDifference } from '../../../lib/stats/balance.js';
import { waldTest } from '../../../lib/stats/wald.js';
import { assertAbsolute, assertRelative, dataset, reference } from './r-reference.js';
import { dataError } from '../../data-error.js';

const experiment = dataset('experiment');
const ARMS = ['nudge_a', 'nudge_b', 'both'] as const;
/** Arm index per row: 0 no nudge, then A, B, both. */
const arm = Float64Array.from(experiment.nudge_a!, (_, i) => (experiment.nudge_a![i] ? 1 : experiment.nudge_b![i] ? 2 : experiment.both![i] ? 3 : 0));

for (const b of reference.balance) {
  test(`balance of ${b.variable}: arm means, standardised differences and the HC3 Wald test are R's`, () => {
    const v = experiment[b.variable]!;
    const c = armContrastsHC3([v], [b.variable], arm, 4);
    assert.is(c.n, b.n);
    assert.is(c.counts[0], b.n_none);
    assertAbsolute(c.means[0]![0]!, b.mean_none, 1e-12, 'mean, no nudge');
    b.arms.forEach((r, k) => {
      assert.is(c.counts[k + 1], r.n);
      assertAbsolute(c.means[0]![k + 1]!, r.mean, 1e-12, `mean, ${r.arm}`);
      const inArm = v.filter((_, i) => arm[i] === k + 1);
      const none = v.filter((_, i) => arm[i] === 0);
      assertAbsolute(standardisedDifference(inArm, none), r.smd, 1e-12, `standardised difference, ${r.arm}`);
    });
    const w = waldTest(c.estimates, c.vcov, [...ARMS], c.n - 4);
    assertRelative(w.statistic, b.statistic, 1e-10, 'W');
    assertRelative(w.pF!, b.p_f, 1e-9, 'p');
  });
}

test('every variable at once: the HC3 matrix of the multivariate regression and its chi-square test are R\'s', () => {
  const j = reference.balance_joint;
  const c = armContrastsHC3(j.variables.map((v) => experiment[v]!), j.variables, arm, 4);
  assert.is(c.n, j.n);
  c.estimates.forEach((e, i) => assertAbsolute(e, j.coef[i]!, 1e-12, j.tested[i]!));
  const w = waldTest(c.estimates, c.vcov, j.tested);
  assert.is(w.df1, j.df);
  assertRelative(w.statistic, j.statistic, 1e-10, 'W');
  assertRelative(w.pChiSquare, j.p, 1e-9, 'p');
});

test('the fixture has missing values and an arm imbalanced by design', () => {
  assert.ok(['gender', 'age', 'ethnicity'].every((v) => experiment[v]!.some(Number.isNaN)));
  assert.ok(reference.balance.some((b) => b.arms.some((a) => Math.abs(a.smd) > 0.3)));
});

test('constant groups have no standardised difference; a small arm is refused', () => {
  assert.ok(Number.isNaN(standardisedDifference([1, 1], [1, 1])));
  assertAbsolute(standardisedDifference([1, 3], [0, 2]), 1 / Math.sqrt(2), 1e-15, 'd');
  const e = dataError(() => armContrastsHC3([[1, 2, 3, 4, 5]], ['age'], [0, 0, 1, 1, 2], 3));
  assert.match(e.message, /arm 2 has 1 respondent/);
});

test.run();
