/**
 * The two t tests of the panel comparison: paired (a respondent's change between two waves) and
 * Welch's unequal-variance test (those lost to the panel against those retained). The statistics are
 * sums; the distributions are @stdlib's through lib/stats, as everywhere in the analysis.
 *
 * A test that is not defined (fewer than two values, or no spread at all) gives null fields rather
 * than an infinite or NaN statistic, so the tables print an empty cell.
 */
import { tQuantile, tTwoSidedP } from './index.js';

export interface PairedTest {
  n: number;
  meanFrom: number | null;
  meanTo: number | null;
  /** Mean of to - from. */
  meanChange: number | null;
  t: number | null;
  df: number | null;
  p: number | null;
  ciLow: number | null;
  ciHigh: number | null;
}

export interface WelchTest {
  nA: number;
  nB: number;
  meanA: number | null;
  meanB: number | null;
  /** meanB - meanA. */
  difference: number | null;
  t: number | null;
  df: number | null;
  p: number | null;
}

function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s / xs.length;
}

/** Sample variance (n - 1), two-pass so that large, nearly equal values do not cancel. */
function variance(xs: ArrayLike<number>, m: number): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i]! - m) ** 2;
  return s / (xs.length - 1);
}

/** Paired t test of `to` against `from` (same length, pair i = one respondent), with a `level` interval for the mean change. */
export function pairedT(from: ArrayLike<number>, to: ArrayLike<number>, level = 0.95): PairedTest {
  if (from.length !== to.length) throw new RangeError(`paired t test needs pairs: ${from.length} values against ${to.length}`);
  const n = from.length;
  const empty: PairedTest = { n, meanFrom: null, meanTo: null, meanChange: null, t: null, df: null, p: null, ciLow: null, ciHigh: null };
  if (n === 0) return empty;
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = to[i]! - from[i]!;
  const md = mean(d);
  const out: PairedTest = { ...empty, meanFrom: mean(from), meanTo: mean(to), meanChange: md };
  if (n < 2) return out;
  const se = Math.sqrt(variance(d, md) / n);
  if (!(se > 0)) return out;
  const df = n - 1;
  const half = tQuantile(1 - (1 - level) / 2, df) * se;
  const t = md / se;
  return { ...out, t, df, p: tTwoSidedP(t, df), ciLow: md - half, ciHigh: md + half };
}

/** Welch's two-sample t test of b against a (difference = mean b - mean a), Welch-Satterthwaite df. */
export function welchT(a: ArrayLike<number>, b: ArrayLike<number>): WelchTest {
  const out: WelchTest = { nA: a.length, nB: b.length, meanA: a.length ? mean(a) : null, meanB: b.length ? mean(b) : null, difference: null, t: null, df: null, p: null };
  if (out.meanA === null || out.meanB === null) return out;
  out.difference = out.meanB - out.meanA;
  if (a.length < 2 || b.length < 2) return out;
  const va = variance(a, out.meanA) / a.length;
  const vb = variance(b, out.meanB) / b.length;
  const se2 = va + vb;
  if (!(se2 > 0)) return out;
  const t = out.difference / Math.sqrt(se2);
  const df = (se2 * se2) / ((va * va) / (a.length - 1) + (vb * vb) / (b.length - 1));
  return { ...out, t, df, p: tTwoSidedP(t, df) };
}
