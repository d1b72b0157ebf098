/**
 * Student t, standard normal, F and chi-square distributions, from @stdlib.
 *
 * Upper tails are taken as the cdf of the mirrored point (`cdf(-t)`), never as `1 - cdf(t)`:
 * the subtraction would cancel to 0 once the tail falls below ~1e-16, and the analysis reports
 * p-values far smaller than that.
 */
import tCdfStdlib from '@stdlib/stats-base-dists-t-cdf';
import tQuantileStdlib from '@stdlib/stats-base-dists-t-quantile';
import normalCdfStdlib from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantileStdlib from '@stdlib/stats-base-dists-normal-quantile';
import fCdfStdlib from '@stdlib/stats-base-dists-f-cdf';
import gammaincStdlib from '@stdlib/math-base-special-gammainc';

/** P(T <= t) for T ~ Student t with `df` degrees of freedom (`df` > 0). */
export function tCdf(t: number, df: number): number {
  return tCdfStdlib(t, checkDf(df));
}

/** The value t with P(T <= t) = `p`, for T ~ Student t with `df` degrees of freedom. */
export function tQuantile(p: number, df: number): number {
  return tQuantileStdlib(checkProbability(p), checkDf(df));
}

/** P(T >= t), accurate deep in the tail. */
export function tUpperTail(t: number, df: number): number {
  return tCdf(-t, df);
}

/**
 * Two-sided p-value of a t statistic: P(|T| >= |t|) = 2 P(T <= -|t|), accurate deep in the tail.
 * An infinite statistic (a perfect fit) gives 0.
 */
export function tTwoSidedP(t: number, df: number): number {
  if (Number.isNaN(t)) throw new RangeError('t statistic is NaN: nothing to test');
  return Math.min(1, 2 * tCdf(-Math.abs(t), df));
}

/** P(Z <= z) for the standard normal. */
export function normalCdf(z: number): number {
  return normalCdfStdlib(z, 0, 1);
}

/** The value z with P(Z <= z) = `p`, for the standard normal. */
export function normalQuantile(p: number): number {
  return normalQuantileStdlib(checkProbability(p), 0, 1);
}

/**
 * P(F >= f) for F ~ F(`df1`, `df2`), taken as P(F' <= 1/f) with F' ~ F(`df2`, `df1`) (1/F has that
 * distribution), so that a small tail is not lost to 1 - cdf.
 */
export function fUpperTail(f: number, df1: number, df2: number): number {
  if (!(f >= 0)) throw new RangeError(`F statistic must be non-negative, got ${f}`);
  if (f === 0) return 1;
  return fCdfStdlib(1 / f, checkDf(df2), checkDf(df1));
}

/** P(X >= x) for X ~ chi-square with `df` degrees of freedom: the regularised upper incomplete gamma. */
export function chiSquareUpperTail(x: number, df: number): number {
  if (!(x >= 0)) throw new RangeError(`chi-square statistic must be non-negative, got ${x}`);
  return gammaincStdlib(x / 2, checkDf(df) / 2, true, true);
}

function checkDf(df: number): number {
  if (!(df > 0)) throw new RangeError(`degrees of freedom must be positive, got ${df}`);
  return df;
}

function checkProbability(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`probability must lie in [0, 1], got ${p}`);
  return p;
}
