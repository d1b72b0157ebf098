/**
 * Student t and standard normal distributions, from @stdlib.
 *
 * Upper tails are taken as the cdf of the mirrored point (`cdf(-t)`), never as `1 - cdf(t)`:
 * the subtraction would cancel to 0 once the tail falls below ~1e-16, and the analysis reports
 * p-values far smaller than that.
 */
import tCdfStdlib from '@stdlib/stats-base-dists-t-cdf';
import tQuantileStdlib from '@stdlib/stats-base-dists-t-quantile';
import normalCdfStdlib from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantileStdlib from '@stdlib/stats-base-dists-normal-quantile';

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

function checkDf(df: number): number {
  if (!(df > 0)) throw new RangeError(`degrees of freedom must be positive, got ${df}`);
  return df;
}

function checkProbability(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`probability must lie in [0, 1], got ${p}`);
  return p;
}
