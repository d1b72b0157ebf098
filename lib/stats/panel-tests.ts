/**
 * Comparisons of two panel waves whose respondents overlap: McNemar's test for a binary answer among
 * stayers, standardised mean differences for attrition, and a bootstrap of the change in a correlation
 * that resamples stayers once for both waves (so the overlap is kept, not treated as independent).
 */
import mt19937 from '@stdlib/random-base-mt19937';
import { normalCdf } from './distributions.js';

export interface McNemar {
  /** Stayers who went from no to yes, and from yes to no. */
  noToYes: number;
  yesToNo: number;
  statistic: number;
  p: number;
}

/** McNemar's chi-square test (1 df) on the discordant pairs, with continuity correction by default, as R's mcnemar.test. */
export function mcnemar(noToYes: number, yesToNo: number, options: { correct?: boolean } = {}): McNemar {
  const discordant = noToYes + yesToNo;
  if (discordant === 0) return { noToYes, yesToNo, statistic: NaN, p: NaN };
  // R corrects only when the discordant counts differ (a gap of 0 would otherwise become 1).
  const correction = options.correct !== false && noToYes !== yesToNo ? 1 : 0;
  const gap = Math.abs(noToYes - yesToNo) - correction;
  const statistic = (gap * gap) / discordant;
  // P(χ²₁ ≥ s) = 2 Φ(-√s), exact and accurate in the tail.
  return { noToYes, yesToNo, statistic, p: Math.min(1, 2 * normalCdf(-Math.sqrt(statistic))) };
}

/**
 * (mean a - mean b) / √((var a + var b) / 2), with sample variances (n - 1), on the answers present
 * (NaN left out): the usual balance measure, read against a threshold (commonly 0.1) rather than a p-value.
 */
export function standardisedMeanDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const [ma, va] = meanAndVariance(a);
  const [mb, vb] = meanAndVariance(b);
  return (ma - mb) / Math.sqrt((va + vb) / 2);
}

function meanAndVariance(xs: ArrayLike<number>): [number, number] {
  const present = Array.from(xs).filter((x) => !Number.isNaN(x));
  if (present.length < 2) return [NaN, NaN];
  const mean = present.reduce((s, x) => s + x, 0) / present.length;
  return [mean, present.reduce((s, x) => s + (x - mean) ** 2, 0) / (present.length - 1)];
}

/** A seed for one named part of an analysis: the step's seed mixed with the name's FNV-1a hash, in 1 … 2^32-1. */
export function derivedSeed(seed: number, name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return ((seed >>> 0) ^ h) >>> 0 || 1;
}

/** Resample positions for groups of the given sizes: per replicate and group, `size` draws with replacement (0-based). */
export function bootstrapIndices(sizes: readonly number[], replicates: number, seed: number): Int32Array[][] {
  if (!(Number.isInteger(seed) && seed >= 1 && seed < 2 ** 32)) throw new RangeError(`bootstrap seed must be a whole number from 1 to 2^32-1, got ${seed}`);
  const prng = mt19937.factory({ seed }) as unknown as { normalized: () => number };
  return Array.from({ length: replicates }, () =>
    sizes.map((size) => {
      const draws = new Int32Array(size);
      for (let k = 0; k < size; k++) draws[k] = Math.floor(prng.normalized() * size);
      return draws;
    }),
  );
}

/**
 * A panel bootstrap's replicates as positions into each wave's respondents laid out stayers first,
 * then those in that wave only: `before` into [stayers, earlier only], `after` into [stayers, later only].
 * Built once from bootstrapIndices([stayers, earlier only, later only], …) and shared by every
 * correlation of the same respondents.
 */
export interface PanelResample {
  before: Int32Array[];
  after: Int32Array[];
}

export function panelResample(indices: Int32Array[][]): PanelResample {
  const side = (stay: Int32Array, other: Int32Array) => {
    const at = new Int32Array(stay.length + other.length);
    at.set(stay);
    // A group's draws are as many as its members, so the stayers' count is the length of their draws.
    for (let k = 0; k < other.length; k++) at[stay.length + k] = other[k]! + stay.length;
    return at;
  };
  return { before: indices.map(([stay, left]) => side(stay!, left!)), after: indices.map(([stay, , joined]) => side(stay!, joined!)) };
}

/** One wave's two variables for a group of respondents. */
export interface Pairs {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

export interface CorrelationChange {
  /** r in the later wave minus r in the earlier one, on the observed data. */
  change: number;
  /** The change in each replicate. */
  replicates: Float64Array;
  se: number;
  /** Percentile interval (quantiles of type 7, as R's default). */
  ci: { lower: number; upper: number };
  /** Two-sided p of change / se against the standard normal. */
  p: number;
}

/**
 * The change in Pearson's r between two waves, by bootstrap over respondents: stayers are resampled
 * once and enter both waves with the same draws; those in one wave only are resampled within their
 * group. `draws` are from bootstrapIndices([stayers, earlier only, later only], …), or panelResample of
 * them when several correlations share the draws.
 */
export function bootstrapCorrelationChange(
  groups: { stayersBefore: Pairs; stayersAfter: Pairs; leavers: Pairs; joiners: Pairs },
  draws: Int32Array[][] | PanelResample,
  level = 0.95,
): CorrelationChange {
  const { stayersBefore, stayersAfter, leavers, joiners } = groups;
  const resample = Array.isArray(draws) ? panelResample(draws) : draws;
  // Each wave's complete pairs, stayers first, as the resample's positions address them.
  const before = completePairs(joined(stayersBefore.x, leavers.x), joined(stayersBefore.y, leavers.y));
  const after = completePairs(joined(stayersAfter.x, joiners.x), joined(stayersAfter.y, joiners.y));
  const all = (p: CompletePairs) => Int32Array.from({ length: p.x.length }, (_, i) => i);
  const change = correlationAt(after, all(after)) - correlationAt(before, all(before));
  const replicates = new Float64Array(resample.after.length);
  for (let b = 0; b < replicates.length; b++) replicates[b] = correlationAt(after, resample.after[b]!) - correlationAt(before, resample.before[b]!);
  const mean = replicates.reduce((s, v) => s + v, 0) / replicates.length;
  const se = Math.sqrt(replicates.reduce((s, v) => s + (v - mean) ** 2, 0) / (replicates.length - 1));
  const sorted = Float64Array.from(replicates).sort();
  const tail = (1 - level) / 2;
  return { change, replicates, se, ci: { lower: quantile7(sorted, tail), upper: quantile7(sorted, 1 - tail) }, p: Math.min(1, 2 * normalCdf(-Math.abs(change / se))) };
}

function joined(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  const out = new Float64Array(a.length + b.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]!;
  for (let i = 0; i < b.length; i++) out[a.length + i] = b[i]!;
  return out;
}

/**
 * Two columns with the pairs that miss either value set to 0 and marked 0 in `complete` (1 elsewhere):
 * summing them adds nothing for an incomplete pair, exactly as skipping it does, without a test per draw.
 */
interface CompletePairs {
  x: Float64Array;
  y: Float64Array;
  complete: Float64Array;
}

function completePairs(x: Float64Array, y: Float64Array): CompletePairs {
  const complete = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]!) || Number.isNaN(y[i]!)) x[i] = y[i] = 0;
    else complete[i] = 1;
  }
  return { x, y, complete };
}

/**
 * Pearson's r over the complete pairs at the given positions, in two passes (means, then centred sums)
 * as R's cor(use = "complete.obs") computes it, without copying the draws out.
 */
function correlationAt({ x, y, complete }: CompletePairs, at: Int32Array): number {
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let k = 0; k < at.length; k++) {
    const i = at[k]!;
    n += complete[i]!;
    sx += x[i]!;
    sy += y[i]!;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let k = 0; k < at.length; k++) {
    const i = at[k]!;
    // An incomplete pair's deviations are (±)0, which leave the sums as they are.
    const dx = (x[i]! - mx) * complete[i]!;
    const dy = (y[i]! - my) * complete[i]!;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return n < 3 ? NaN : sxy / Math.sqrt(sxx * syy);
}

/** R's quantile(type = 7) of sorted values. */
export function quantile7(sorted: ArrayLike<number>, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}
