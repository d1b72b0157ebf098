import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ols, type OlsFit } from '../../../lib/stats/ols.js';
import { assertAbsolute, assertRelative, dataset, reference, type RRegression } from './r-reference.js';
import { dataError } from '../../data-error.js';

function fitLikeR(c: RRegression, blockRows?: number): OlsFit {
  const d = dataset(c.dataset);
  return ols(d[c.outcome]!, c.columns.map((name) => d[name]!), c.columns, { intercept: c.intercept, outcome: c.outcome, blockRows });
}

function assertMatchesR(got: OlsFit, c: RRegression): void {
  assert.is(got.n, c.n);
  assert.is(got.df, c.df);
  assert.is(c.coeftest_df, c.df, 'R tested the HC3 coefficients with t on n - p df');
  assertAbsolute(got.r2, c.r2, 1e-9, 'R^2');
  assertAbsolute(got.sigma, c.sigma, 1e-9, 'sigma');
  assert.equal(got.terms.map((t) => t.name), c.terms.map((t) => t.name));
  got.terms.forEach((t, j) => {
    const r = c.terms[j]!;
    assertAbsolute(t.coef, r.coef, 1e-9, `${t.name} coef`);
    assertAbsolute(t.se, r.se, 1e-9, `${t.name} se`);
    assertRelative(t.t, r.t, 1e-9, `${t.name} t`);
    assertRelative(t.p, r.p, 1e-6, `${t.name} p`);
    assertAbsolute(t.ci.lower, r.ci_lower, 1e-9, `${t.name} CI lower`);
    assertAbsolute(t.ci.upper, r.ci_upper, 1e-9, `${t.name} CI upper`);
    // sandwich's explicit (X'X)^-1 X'WX (X'X)^-1 loses ~cond(X)^2 eps, which is ~1e-4 on the
    // near-collinear design; there the module is held to R's QR-form HC3 instead (stats.R).
    const sandwichAccurate = c.condition_number < 1e4;
    const want = sandwichAccurate ? { se: r.hc3_se, t: r.hc3_t, p: r.hc3_p } : { se: r.hc3_qr_se, t: r.hc3_qr_t, p: r.hc3_qr_p };
    assertAbsolute(t.robustSe, want.se, 1e-9, `${t.name} HC3 se`);
    assertRelative(t.robustT, want.t, 1e-9, `${t.name} HC3 t`);
    assertRelative(t.robustP, want.p, 1e-6, `${t.name} HC3 p`);
    assertAbsolute(t.robustSe, r.hc3_qr_se, 1e-9, `${t.name} HC3 se (QR form)`);
  });
}

for (const c of reference.ols) {
  const label = `${c.outcome} ~ ${c.intercept ? '' : '0 + '}${c.columns.join(' + ')} (${c.dataset}, n = ${c.n})`;
  test(`${label} matches R's lm, confint and vcovHC(HC3) + coeftest`, () => assertMatchesR(fitLikeR(c), c));
  test(`${label} gives the same answer when the QR runs in blocks of 7 rows`, () => assertMatchesR(fitLikeR(c, 7), c));
}

test('the fixture covers a binary outcome, missing values, a near-collinear design, small n and p far below 1e-16', () => {
  const nudge = dataset('nudge');
  assert.equal([...new Set(nudge.coproduce)].sort(), [0, 1]);
  assert.ok(reference.ols.some((c) => c.outcome === 'coproduce'));
  assert.ok(nudge.trust!.some(Number.isNaN) && nudge.intention!.some(Number.isNaN));
  assert.ok(reference.ols.some((c) => c.condition_number > 1e6), 'an ill-conditioned design');
  assert.ok(reference.ols.some((c) => c.df === 3));
  assert.ok(reference.ols.some((c) => c.terms.some((t) => t.p < 1e-100)));
});

test('on the near-collinear design sandwich itself drifts from the exact HC3 (why the QR form is the reference there)', () => {
  const c = reference.ols.find((o) => o.dataset === 'collinear')!;
  const drift = Math.max(...c.terms.map((t) => Math.abs(t.hc3_se - t.hc3_qr_se) / t.hc3_qr_se));
  assert.ok(drift > 1e-6, `sandwich and QR-form HC3 differ by ${drift}`);
  const fit = fitLikeR(c);
  fit.terms.forEach((t, j) => {
    const off = Math.abs(t.robustSe - c.terms[j]!.hc3_qr_se) / c.terms[j]!.hc3_qr_se;
    assert.ok(off < 1e-3 * drift, `${t.name}: ${off} from the QR form`);
  });
});

test('rows with a missing outcome or column are dropped and counted', () => {
  const c = reference.ols.find((o) => o.outcome === 'intention' && o.intercept)!;
  const fit = fitLikeR(c);
  assert.is(fit.dropped, 3);
  assert.is(fit.n + fit.dropped, dataset('nudge').intention!.length);
});


for (const c of reference.rank_deficient) {
  test(`rank-deficient ${c.outcome} ~ ${c.columns.join(' + ')} throws naming ${c.dropped.join(', ')}, the column R's lm drops`, () => {
    const d = dataset(c.dataset);
    const e = dataError(() => ols(d[c.outcome]!, c.columns.map((n) => d[n]!), c.columns, { outcome: c.outcome }));
    assert.is(e.where.column, c.dropped.join(', '));
    for (const name of c.dropped) assert.match(e.message, `"${name}"`);
  });
}

test('rank-deficiency messages say what is wrong with the column', () => {
  const x = [1, 2, 3, 4, 5, 6];
  const y = [2, 1, 4, 3, 6, 5];
  assert.match(dataError(() => ols(y, [x, [0, 0, 0, 0, 0, 0]], ['age', 'region_north'])).message, /"region_north" is zero in every complete row/);
  assert.match(dataError(() => ols(y, [x, [5, 5, 5, 5, 5, 5]], ['age', 'wave'])).message, /"wave" is constant \(every value is 5\) and so duplicates the intercept/);
  assert.match(
    dataError(() => ols(y, [x, [1, 0, 1, 0, 1, 1], x.map((v, i) => 2 * v - [1, 0, 1, 0, 1, 1][i]!)], ['age', 'female', 'mix'])).message,
    /"mix" is a linear combination of "\(Intercept\)", "age", "female"/,
  );
});

test('every dependent column is named at once', () => {
  const e = dataError(() => ols([1, 3, 2, 5, 4, 6], [[1, 2, 3, 4, 5, 6], [0, 0, 0, 0, 0, 0], [7, 7, 7, 7, 7, 7]], ['x', 'none', 'flat']));
  assert.is(e.where.column, 'none, flat');
});

test('a design full rank only by 1e-9 of its norm counts as deficient (R tolerance 1e-7)', () => {
  const x = [1, 2, 3, 4, 5, 6, 7, 8];
  const nearly = x.map((v, i) => v + (i % 2 ? 1e-9 : -1e-9));
  assert.throws(() => ols([3, 1, 4, 1, 5, 9, 2, 6], [x, nearly], ['x', 'nearly']), /"nearly" is a linear combination/);
});

test('no residual degree of freedom, an exact fit and a leverage-1 row are refused, not NaN', () => {
  assert.throws(() => ols([1, 2, 4], [[1, 2, 3], [0, 1, 0]], ['x', 'd']), /3 terms with 3 complete rows/);
  assert.throws(() => ols([3, 5, 7, 9, 11], [[1, 2, 3, 4, 5]], ['x']), /fitted exactly/);
  // the only respondent in the "d" category determines that coefficient alone
  assert.throws(() => ols([1, 3, 2, 5, 4], [[1, 2, 3, 4, 5], [0, 0, 1, 0, 0]], ['x', 'd']), /row 2 has leverage 1/);
});

test('mismatched lengths, infinite values and a names/columns mismatch are refused', () => {
  assert.throws(() => ols([1, 2, 3, 4], [[1, 2, 3]], ['x']), /"x" has 3 rows but outcome "y" has 4/);
  assert.throws(() => ols([1, 2, 3, Infinity], [[1, 2, 3, 4]], ['x']), /"y" holds an infinite value at row 3/);
  assert.throws(() => ols([1, 2, 3, 4], [[1, 2, 3, 4]], []), /1 columns but 0 names/);
});

test('inputs are not modified', () => {
  const y = [1, 3, 2, 5, NaN, 4];
  const x = new Float64Array([1, 2, 3, 4, 5, 7]);
  ols(y, [x], ['x']);
  assert.equal(y.slice(0, 4), [1, 3, 2, 5]);
  assert.equal([...x], [1, 2, 3, 4, 5, 7]);
});

test.run();
