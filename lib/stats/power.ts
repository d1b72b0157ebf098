/**
 * Minimum detectable effect of a two-group comparison, in closed form (Bloom 1995):
 *
 *   MDE = (t_{1 - alpha/2, df} + t_{power, df}) * SE,   SE = sigma * sqrt(1/n1 + 1/n0)
 *
 * the true difference a two-sided test at level alpha detects with the given power. It treats the
 * test statistic under the alternative as a shifted central t; R's power.t.test solves the noncentral
 * t exactly, and for equal groups of 100 the two differ by about one part in ten thousand (the R
 * fixtures record both).
 */
import { tQuantile } from './distributions.js';

export interface MdeOptions {
  /** Two-sided level; default 0.05. */
  alpha?: number;
  /** Default 0.8. */
  power?: number;
}

/** The MDE for a contrast with standard error `se` tested with t on `df` degrees of freedom. */
export function minimumDetectableEffect(se: number, df: number, options: MdeOptions = {}): number {
  const alpha = options.alpha ?? 0.05;
  const power = options.power ?? 0.8;
  if (!(se > 0) || !Number.isFinite(se)) throw new RangeError(`standard error must be positive and finite, got ${se}`);
  if (!(alpha > 0 && alpha < 1) || !(power > 0 && power < 1)) throw new RangeError(`alpha and power must lie in (0, 1), got ${alpha} and ${power}`);
  return (tQuantile(1 - alpha / 2, df) + tQuantile(power, df)) * se;
}

/** Standard error of a difference of two group means with common residual SD `sigma`. */
export function twoGroupSe(sigma: number, n1: number, n0: number): number {
  if (!(n1 > 0 && n0 > 0)) throw new RangeError(`both groups need respondents, got ${n1} and ${n0}`);
  return sigma * Math.sqrt(1 / n1 + 1 / n0);
}
