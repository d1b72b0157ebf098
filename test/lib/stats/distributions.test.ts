import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { normalCdf, normalQuantile, tCdf, tQuantile, tTwoSidedP, tUpperTail } from '../../../lib/stats/distributions.js';
import { assertRelative, reference } from './r-reference.js';

const { t: tRef, normal } = reference.distributions;

test('t lower tails match R pt() to 1e-6 relative, down to ~1e-60', () => {
  tRef.t.forEach((t, i) => {
    const df = tRef.df[i]!;
    assertRelative(tCdf(-t, df), tRef.lower_of_minus_t[i]!, 1e-6, `pt(${-t}, ${df})`);
    assertRelative(tUpperTail(t, df), tRef.lower_of_minus_t[i]!, 1e-6, `upper tail at ${t}, df ${df}`);
    assertRelative(tTwoSidedP(-t, df), 2 * tRef.lower_of_minus_t[i]!, 1e-6, `two-sided p at ${-t}, df ${df}`);
  });
  assert.ok(Math.min(...tRef.lower_of_minus_t) < 1e-50, 'the fixture reaches deep into the tail');
});

test('t quantiles match R qt(0.975, df)', () => {
  tRef.df.forEach((df, i) => assertRelative(tQuantile(0.975, df), tRef.quantile_975[i]!, 1e-9, `qt(0.975, ${df})`));
});

test('normal tails and quantiles match R pnorm/qnorm', () => {
  normal.z.forEach((z, i) => assertRelative(normalCdf(-z), normal.lower_of_minus_z[i]!, 1e-6, `pnorm(${-z})`));
  // @stdlib's normal quantile is good to ~2e-9 relative at p = 1e-10 (1e-9 would fail there); the
  // module only ever asks for central quantiles such as 0.975, which agree to the last digits.
  normal.p.forEach((p, i) => assertRelative(normalQuantile(p), normal.quantile[i]!, p < 1e-6 ? 1e-8 : 1e-12, `qnorm(${p})`));
});

test('an upper tail far below machine epsilon is not lost to 1 - cdf', () => {
  assert.ok(tUpperTail(40, 30) > 0);
  assert.is(1 - tCdf(40, 30), 0); // what the naive formula would give
});

test('two-sided p of an infinite statistic is 0, and of 0 is 1', () => {
  assert.is(tTwoSidedP(Infinity, 10), 0);
  assert.is(tTwoSidedP(0, 10), 1);
});

test('bad arguments are refused, not turned into NaN', () => {
  assert.throws(() => tCdf(1, 0), /degrees of freedom must be positive, got 0/);
  assert.throws(() => tQuantile(1.5, 3), /probability must lie in \[0, 1\], got 1.5/);
  assert.throws(() => tTwoSidedP(NaN, 3), /NaN/);
});

test.run();
