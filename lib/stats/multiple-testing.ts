/**
 * Multiple-testing corrections.
 */

/**
 * Benjamini–Hochberg adjusted p-values, identical to R's `p.adjust(p, method = "BH")`.
 *
 * Missing p-values (NaN) stay NaN in place and do not count towards the number of tests, as in R.
 * Returns a new array in the input order; throws on a p outside [0, 1] (R would not, but such a
 * value is always a bug upstream).
 */
export function adjustBH(p: Float64Array | readonly number[]): Float64Array {
  const out = new Float64Array(p.length).fill(NaN);
  const present = presentIndices(p);
  const m = present.length;
  // Largest first; the order among ties does not matter, since the running minimum gives them one value.
  const order = present.slice().sort((a, b) => (p[b] as number) - (p[a] as number));
  let running = Infinity;
  order.forEach((index, k) => {
    const rank = m - k;
    // Same operation order as R (n / i * p) so that results agree to the last bit.
    running = Math.min(running, (m / rank) * (p[index] as number));
    out[index] = Math.min(1, running);
  });
  return out;
}

/**
 * Holm's step-down adjusted p-values, identical to R's `p.adjust(p, method = "holm")`: the k-th
 * smallest of m present p-values is multiplied by m - k + 1, then a running maximum keeps the order.
 * Controls the family-wise error rate; missing p-values as in adjustBH.
 */
export function adjustHolm(p: Float64Array | readonly number[]): Float64Array {
  const out = new Float64Array(p.length).fill(NaN);
  const present = presentIndices(p);
  const m = present.length;
  const order = present.slice().sort((a, b) => (p[a] as number) - (p[b] as number));
  let running = 0;
  order.forEach((index, k) => {
    running = Math.max(running, (m - k) * (p[index] as number));
    out[index] = Math.min(1, running);
  });
  return out;
}

/** What a family of tests at one level shows, as a report states it beside the tests. */
export interface FamilyCounts {
  /** Present (non-NaN) p-values. */
  tests: number;
  /** p < alpha. */
  significant: number;
  /** How many of the tests would have p < alpha on average if every null hypothesis held: alpha × tests. */
  expectedByChance: number;
  /** Benjamini-Hochberg adjusted p < alpha (false discovery rate alpha). */
  afterBH: number;
}

export function familyCounts(p: Float64Array | readonly number[], alpha: number): FamilyCounts {
  const adjusted = adjustBH(p);
  const tests = adjusted.filter((x) => !Number.isNaN(x)).length;
  return { tests, significant: Array.from(p).filter((x) => x < alpha).length, expectedByChance: alpha * tests, afterBH: adjusted.filter((x) => x < alpha).length };
}

/** Indices of the present (non-NaN) p-values; throws on one outside [0, 1]. */
function presentIndices(p: Float64Array | readonly number[]): number[] {
  const present: number[] = [];
  for (let i = 0; i < p.length; i++) {
    const v = p[i] as number;
    if (Number.isNaN(v)) continue;
    if (!(v >= 0 && v <= 1)) throw new RangeError(`p-value at index ${i} must lie in [0, 1], got ${v}`);
    present.push(i);
  }
  return present;
}
