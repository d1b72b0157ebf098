import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ols } from '../../../lib/stats/ols.js';
import { waldTest } from '../../../lib/stats/wald.js';
import { assertAbsolute, assertRelative, dataset, reference } from './r-reference.js';
import { dataError } from '../../data-error.js';

const experiment = dataset('experiment');

for (const c of reference.wald) {
  const label = `${c.outcome} ~ ${c.columns.join(' + ')}, testing ${c.tested.join(', ')}`;
  test(`${label}: the HC3 matrix is sandwich's and the Wald test lmtest::waldtest's`, () => {
    const fit = ols(experiment[c.outcome]!, c.columns.map((n) => experiment[n]!), c.columns, { outcome: c.outcome });
    assert.is(fit.n, c.n);
    fit.robustVcov.forEach((row, i) => row.forEach((v, j) => assertAbsolute(v, c.vcov_hc3[i]![j]!, 1e-9 * Math.max(1, Math.abs(c.vcov_hc3[i]![j]!)), `HC3 [${i}, ${j}]`)));
    const at = c.tested.map((name) => fit.terms.findIndex((t) => t.name === name));
    const w = waldTest(at.map((i) => fit.terms[i]!.coef), at.map((i) => at.map((j) => fit.robustVcov[i]![j]!)), c.tested, fit.df);
    assertRelative(w.statistic, c.statistic, 1e-10, 'W');
    assert.is(w.df1, c.df1);
    assertRelative(w.f!, c.f, 1e-10, 'F');
    assertRelative(w.pF!, c.p_f, 1e-9, 'p (F)');
    assertRelative(w.pChiSquare, c.p_chisq, 1e-9, 'p (chi-square)');
  });
}

test('the HC3 matrix diagonal is the terms\' robust SEs squared', () => {
  const fit = ols(experiment.individual!, [experiment.nudge_a!, experiment.age!], ['nudge_a', 'age']);
  fit.terms.forEach((t, j) => assertRelative(Math.sqrt(fit.robustVcov[j]![j]!), t.robustSe, 1e-14, t.name));
});

test('one coefficient: W is its robust t squared', () => {
  const w = waldTest([2], [[0.25]], ['b'], 10);
  assert.is(w.statistic, 16);
  assert.is(w.f, 16);
});

test('without a residual df only the chi-square form is given', () => {
  const w = waldTest([1, 1], [[1, 0], [0, 1]], ['a', 'b']);
  assert.is(w.f, undefined);
  assertRelative(w.pChiSquare, Math.exp(-1), 1e-14, 'chi-square(2) upper tail at 2');
});

test('a singular covariance (one contrast twice) is a DataError naming the coefficients', () => {
  const e = dataError(() => waldTest([1, 1], [[1, 1], [1, 1]], ['nudge_a', 'nudge_a copy']));
  assert.match(e.message, /nudge_a, nudge_a copy is not positive definite/);
});

test.run();
