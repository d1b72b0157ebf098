/**
 * 95% intervals for the levels the report gives: Wilson's score interval for a share (R's
 * `prop.test(x, n, correct = FALSE)$conf.int`; unlike the Wald interval it stays inside [0, 1] and
 * keeps its coverage near 0 and 1), and the t interval of a mean (R's `t.test(x)$conf.int`).
 */
import { normalQuantile, tQuantile } from './distributions.js';
import type { Column } from './column.js';

export interface Interval {
  lower: number;
  upper: number;
}

/** Wilson interval for `x` successes in `n` trials; null when n = 0. */
export function wilsonInterval(x: number, n: number, level = 0.95): Interval | null {
  if (!(Number.isInteger(x) && Number.isInteger(n) && x >= 0 && x <= n)) throw new RangeError(`wilsonInterval needs whole numbers 0 <= x <= n, got ${x} of ${n}`);
  if (n === 0) return null;
  const z = normalQuantile(1 - (1 - level) / 2);
  const p = x / n;
  const z2n = (z * z) / n;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2n / (4 * n))) / (1 + z2n);
  // At x = 0 or n one end is exactly 0 or 1, as in R (rounding would leave it a hair off).
  return { lower: x === 0 ? 0 : centre - half, upper: x === n ? 1 : centre + half };
}

export interface MeanInterval extends Interval {
  mean: number;
  n: number;
}

/** Mean of the present values of `values` with its t interval; null with fewer than 2 values (all equal: the interval is the mean itself). */
export function tMeanInterval(values: Column, level = 0.95): MeanInterval | null {
  let n = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isNaN(v)) continue;
    n++;
    sum += v;
  }
  if (n < 2) return null;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isNaN(v)) ss += (v - mean) ** 2;
  }
  const se = Math.sqrt(ss / (n - 1) / n);
  const half = tQuantile(1 - (1 - level) / 2, n - 1) * se;
  return { mean, n, lower: mean - half, upper: mean + half };
}
