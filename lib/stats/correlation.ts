/**
 * Pearson and Spearman correlations over pairwise-complete observations, and their tests.
 *
 * Missing values (NaN) drop the pair they belong to, as R's `cor(..., use = "pairwise.complete.obs")`
 * and `cor.test` do. A correlation that does not exist (fewer than 3 complete pairs, or a column
 * that is constant over them) throws a `DataError` saying which, instead of returning NaN.
 */
import { DataError } from '../../contract/step.js';
import { assertNoInfinity, type Column } from './column.js';
import { normalQuantile, tTwoSidedP } from './distributions.js';

export type CorrelationMethod = 'pearson' | 'spearman';

export interface CorrelationOptions {
  /** Defaults to `'pearson'`. */
  method?: CorrelationMethod;
  /** Names of x and y for error messages; default `['x', 'y']`. */
  names?: readonly [string, string];
}

/** A correlation with its t test and Fisher-z confidence interval. */
export interface CorrelationTest {
  method: CorrelationMethod;
  /** Pearson r, or Spearman rho (Pearson r of the average ranks). */
  r: number;
  /** Complete pairs used. */
  n: number;
  /** t = r sqrt(df / (1 - r^2)); ±Infinity when |r| = 1. */
  t: number;
  /** n - 2. */
  df: number;
  /** Two-sided p-value from the t distribution with `df` degrees of freedom. */
  p: number;
  /**
   * 95% interval tanh(atanh(r) ± z_0.975 / sqrt(n - 3)); null when n = 3, where it is undefined.
   * For Spearman this is the same Fisher-z formula applied to rho (R's cor.test reports no
   * interval for Spearman; the paper's tables treat both coefficients alike).
   */
  ci: { lower: number; upper: number } | null;
}

/** Minimum complete pairs for a correlation test: with 2 pairs r is always ±1 and df = 0. */
const MIN_PAIRS = 3;

/** Pearson r of x and y over the rows where both are present. Throws when it does not exist. */
export function pearson(x: Column, y: Column, names: readonly [string, string] = ['x', 'y']): number {
  const [cx, cy] = completePairs(x, y, names);
  return pearsonOfComplete(cx, cy);
}

/** Spearman rho (average ranks for ties, as R) of x and y over the rows where both are present. */
export function spearman(x: Column, y: Column, names: readonly [string, string] = ['x', 'y']): number {
  const [cx, cy] = completePairs(x, y, names);
  return pearsonOfComplete(averageRanks(cx), averageRanks(cy));
}

/**
 * Tests a correlation as R's `cor.test` does (Spearman with `exact = FALSE`: the t approximation),
 * over pairwise-complete observations.
 */
export function corTest(x: Column, y: Column, options: CorrelationOptions = {}): CorrelationTest {
  const method = options.method ?? 'pearson';
  const names = options.names ?? ['x', 'y'];
  const [cx, cy] = completePairs(x, y, names);
  const r = method === 'spearman' ? pearsonOfComplete(averageRanks(cx), averageRanks(cy)) : pearsonOfComplete(cx, cy);
  const n = cx.length;
  const df = n - 2;
  const t = correlationT(r, df);
  const p = tTwoSidedP(t, df);
  let ci: CorrelationTest['ci'] = null;
  if (n > 3) {
    const z = Math.atanh(r);
    const half = normalQuantile(0.975) / Math.sqrt(n - 3);
    ci = { lower: Math.tanh(z - half), upper: Math.tanh(z + half) };
  }
  return { method, r, n, t, df, p, ci };
}

/** t of a correlation r on df = n - 2 degrees of freedom; ±Infinity when |r| = 1. */
function correlationT(r: number, df: number): number {
  return Math.abs(r) >= 1 ? Math.sign(r) * Infinity : (Math.sqrt(df) * r) / Math.sqrt(1 - r * r);
}

/**
 * Two-sided p of a Pearson r over n pairs, as corTest computes it (t with n - 2 df): for a printed r
 * with no data behind it. 1 below 3 pairs, where r says nothing.
 */
export function correlationP(r: number, n: number): number {
  if (n < MIN_PAIRS) return 1;
  return tTwoSidedP(correlationT(r, n - 2), n - 2);
}

/**
 * Ranks of `values` (1 = smallest), tied values sharing the mean of their ranks, as R's
 * `rank(ties.method = "average")`. Every value must be present (no NaN).
 */
export function averageRanks(values: Column): Float64Array {
  // A native numeric sort plus a binary search per value is several times faster on a million rows
  // than sorting an index array with a comparator.
  const sorted = Float64Array.from(values).sort();
  const ranks = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isNaN(v)) throw new RangeError(`averageRanks: value ${i} is missing (NaN); drop missing values first`);
    const first = lowerBound(sorted, v); // ranks first+1 .. last share v
    // Most values of a continuous column are untied: check the next slot before searching.
    const last = sorted[first + 1] !== v ? first + 1 : upperBound(sorted, v, first + 1);
    ranks[i] = (first + 1 + last) / 2;
  }
  return ranks;
}

/** First index whose value is >= v. */
function lowerBound(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index at or after `from` whose value is > v. */
function upperBound(sorted: Float64Array, v: number, from: number): number {
  let lo = from;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

let scratch = { x: new Float64Array(0), y: new Float64Array(0) };

/** The rows where both x and y are present, as two dense arrays; throws when fewer than 3 or one is constant. */
function completePairs(x: Column, y: Column, names: readonly [string, string]): [Float64Array, Float64Array] {
  if (x.length !== y.length) {
    throw new DataError(`cannot correlate "${names[0]}" (${x.length} rows) with "${names[1]}" (${y.length} rows): lengths differ`, {
      column: names[1],
      value: y.length,
    });
  }
  // Filled in one pass into buffers kept between calls (sized for the most pairs there can be), then
  // cut to length: growing plain arrays and copying them, and then fresh arrays per call, were most of
  // correlate's time at a million rows. The views are used and dropped within one call, never kept.
  if (scratch.x.length < x.length) scratch = { x: new Float64Array(x.length), y: new Float64Array(x.length) };
  const cx = scratch.x;
  const cy = scratch.y;
  let count = 0;
  let infinite = false;
  for (let i = 0; i < x.length; i++) {
    const a = x[i] as number;
    const b = y[i] as number;
    // a - a is 0 for every finite number and NaN for NaN and ±Infinity: one test for the common case.
    if (a - a === 0 && b - b === 0) {
      cx[count] = a;
      cy[count] = b;
      count++;
    } else if (a === Infinity || a === -Infinity || b === Infinity || b === -Infinity) {
      infinite = true;
    }
  }
  if (infinite) {
    // Throws naming the first column with an infinite value and its row.
    assertNoInfinity(x, names[0]);
    assertNoInfinity(y, names[1]);
  }
  if (count < MIN_PAIRS) {
    throw new DataError(
      `correlation of "${names[0]}" and "${names[1]}" is undefined: only ${count} row(s) have both values, at least ${MIN_PAIRS} are needed`,
      { column: names[1], value: count },
    );
  }
  const px = cx.subarray(0, count);
  const py = cy.subarray(0, count);
  for (const [column, name] of [
    [px, names[0]],
    [py, names[1]],
  ] as const) {
    if (isConstant(column)) {
      throw new DataError(
        `correlation of "${names[0]}" and "${names[1]}" is undefined: "${name}" is constant (every value is ${column[0]}) over the ${column.length} rows where both are present`,
        { column: name, value: column[0] },
      );
    }
  }
  return [px, py];
}

function isConstant(column: Float64Array): boolean {
  const first = column[0];
  for (let i = 1; i < column.length; i++) if (column[i] !== first) return false;
  return true;
}

function pearsonOfComplete(x: Float64Array, y: Float64Array): number {
  // Means with one correction pass, as R's cor does, so that large offsets do not cost digits. Both
  // columns share each pass; every sum still runs in row order, as separate passes would.
  const n = x.length;
  let sumX = 0;
  let sumY = 0;
  for (let i = 0; i < n; i++) {
    sumX += x[i]!;
    sumY += y[i]!;
  }
  let mx = sumX / n;
  let my = sumY / n;
  let correctionX = 0;
  let correctionY = 0;
  for (let i = 0; i < n; i++) {
    correctionX += x[i]! - mx;
    correctionY += y[i]! - my;
  }
  mx += correctionX / n;
  my += correctionY / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  // Rounding can push |r| a hair past 1 for perfectly related columns; R clamps the same way.
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}
