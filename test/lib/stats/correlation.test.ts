import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { averageRanks, correlationP, corTest, pearson, spearman } from '../../../lib/stats/correlation.js';
import { assertAbsolute, assertRelative, dataset, reference } from './r-reference.js';
import { dataError } from '../../data-error.js';

for (const c of reference.correlations) {
  test(`${c.method} ${c.dataset}: ${c.x} with ${c.y} matches R's cor.test (n = ${c.n})`, () => {
    const d = dataset(c.dataset);
    const got = corTest(d[c.x]!, d[c.y]!, { method: c.method, names: [c.x, c.y] });
    assert.is(got.method, c.method);
    assert.is(got.n, c.n);
    assert.is(got.df, c.df);
    assertAbsolute(got.r, c.r, 1e-9, 'r');
    assertAbsolute(got.t, c.t, 1e-9, 't');
    assertRelative(got.p, c.p, 1e-6, 'p');
    if (c.ci_lower === null || c.ci_upper === null) {
      assert.is(got.ci, null, 'R has no Fisher interval with 3 pairs');
    } else {
      assert.ok(got.ci, 'interval present');
      assertAbsolute(got.ci.lower, c.ci_lower, 1e-9, 'CI lower');
      assertAbsolute(got.ci.upper, c.ci_upper, 1e-9, 'CI upper');
    }
  });
}

test('correlationP: the p of a printed r at n is R\'s cor.test p for that r and n', () => {
  for (const c of reference.correlations) assertRelative(correlationP(c.r, c.n), c.p, 1e-6, `${c.method} ${c.dataset} ${c.x} ${c.y}`);
  assert.is(correlationP(0, 500), 1);
  assert.is(correlationP(1, 500), 0);
  assert.is(correlationP(0.9, 2), 1, 'below 3 pairs r says nothing');
});

test('the fixture covers ties, missing values, a binary column, 3 and 4 pairs, and p far below 1e-16', () => {
  const cases = reference.correlations;
  const survey = dataset('survey');
  assert.ok(survey.trust!.some(Number.isNaN) && survey.efficacy!.some(Number.isNaN));
  assert.ok(new Set(survey.trust).size < survey.trust!.length, 'ties');
  assert.equal([...new Set(survey.coproduce)].sort(), [0, 1]);
  assert.ok(cases.some((c) => c.n === 3) && cases.some((c) => c.n === 4));
  assert.ok(cases.some((c) => c.method === 'spearman' && c.p < 1e-30));
});

test('pearson() and spearman() give the same r as corTest', () => {
  const d = dataset('survey');
  const r = reference.correlations.find((c) => c.x === 'trust' && c.y === 'efficacy' && c.method === 'spearman')!;
  assertAbsolute(spearman(d.trust!, d.efficacy!), r.r, 1e-12, 'rho');
  const q = reference.correlations.find((c) => c.x === 'trust' && c.y === 'efficacy' && c.method === 'pearson')!;
  assertAbsolute(pearson(d.trust!, d.efficacy!), q.r, 1e-12, 'r');
});

test('tied values share the mean of their ranks, as R rank()', () => {
  assert.equal([...averageRanks([10, 20, 10, 30, 20, 10])], [2, 4.5, 2, 6, 4.5, 2]);
  assert.equal([...averageRanks([3, 1, 2])], [3, 1, 2]);
});

test('a pair with a missing value is dropped from both columns', () => {
  const full = corTest([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]);
  const withGap = corTest([1, 2, NaN, 3, 4, 5, 9], [2, 1, 7, 4, 3, 5, NaN]);
  assert.is(withGap.n, 5);
  assert.is(withGap.r, full.r);
});

test('perfectly related columns give r = 1, an infinite t and p = 0, not NaN', () => {
  const got = corTest([1, 2, 3, 4, 5], [2, 4, 6, 8, 10]);
  assert.is(got.r, 1);
  assert.is(got.t, Infinity);
  assert.is(got.p, 0);
  assert.equal(got.ci, { lower: 1, upper: 1 });
});


test('fewer than 3 complete pairs is refused, saying how many there were', () => {
  const e = dataError(() => corTest([1, 2, NaN, 4], [5, NaN, 7, 8], { names: ['trust', 'efficacy'] }));
  assert.match(e.message, /"trust" and "efficacy" is undefined: only 2 row\(s\) have both values, at least 3 are needed/);
  assert.is(e.where.value, 2);
});

test('a column constant over the complete pairs is refused, naming it and its value', () => {
  const e = dataError(() => corTest([1, 2, 3, 4], [3, 3, 3, NaN], { method: 'spearman', names: ['trust', 'age'] }));
  assert.match(e.message, /"age" is constant \(every value is 3\) over the 3 rows where both are present/);
  assert.is(e.where.column, 'age');
  // constant only once the missing pair is removed
  assert.throws(() => pearson([1, 2, 3, 4], [3, 3, 3, 9].map((v, i) => (i === 3 ? NaN : v))), /constant/);
});

test('columns of different lengths and infinite values are refused', () => {
  assert.throws(() => corTest([1, 2, 3], [1, 2, 3, 4]), /lengths differ/);
  assert.throws(() => corTest([1, Infinity, 3, 4], [1, 2, 3, 4]), /infinite value at row 1/);
});

test.run();
