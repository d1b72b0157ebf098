/**
 * Raking weights (iterative proportional fitting), trimming and Kish's design effect, as R's
 * `survey::rake`, `survey::trimWeights` and n Σw² / (Σw)².
 *
 * A pass post-stratifies the weights to each margin in turn; raking stops after the first pass that
 * moves no cell of the margins' cross-table by `epsilon` or more (survey's criterion), or after
 * `maxPasses`. The weights each margin left in the last pass are kept: the design-based variance of
 * a raked estimate is computed from them (survey-estimates.ts), as survey does.
 */

export interface Margin {
  /** What the margin is (e.g. "age band"), for messages. */
  name: string;
  /** Each row's category, 0 … population.length - 1. */
  cells: ArrayLike<number>;
  /** Population total per category. */
  population: readonly number[];
}

export interface RakeOptions {
  /** Starting weights (default 1 each). */
  baseWeights?: ArrayLike<number>;
  /** Stop when no cross-table cell moves by this much; below 1 it is a share of the total weight, as in survey. Default 1. */
  epsilon?: number;
  /** At most this many passes (default 10, as survey). */
  maxPasses?: number;
}

/** The calibration a raked design carries: per margin of the last pass, its cells and the weights it left. */
export interface RakingSteps {
  margins: Array<{ cells: ArrayLike<number>; weights: Float64Array }>;
}

export interface Raked {
  weights: Float64Array;
  passes: number;
  converged: boolean;
  /** The largest change of a cross-table cell in the last pass. */
  delta: number;
  steps: RakingSteps;
}

export function rake(margins: readonly Margin[], options: RakeOptions = {}): Raked {
  if (margins.length === 0) throw new RangeError('raking needs at least one margin');
  const n = margins[0]!.cells.length;
  for (const m of margins) {
    if (m.cells.length !== n) throw new RangeError(`margin "${m.name}" has ${m.cells.length} rows, the first margin ${n}`);
    for (let i = 0; i < n; i++) {
      const c = m.cells[i]!;
      if (!(Number.isInteger(c) && c >= 0 && c < m.population.length))
        throw new RangeError(`margin "${m.name}": row ${i + 1} has category ${c}, outside 0…${m.population.length - 1}`);
    }
  }
  let weights: Float64Array = Float64Array.from(options.baseWeights ?? new Float64Array(n).fill(1));
  const maxPasses = options.maxPasses ?? 10;
  const requested = options.epsilon ?? 1;
  const epsilon = requested < 1 ? requested * sum(weights) : requested;
  const joint = jointCells(margins, n);
  let table = weightedTable(joint, weights);
  let steps: RakingSteps = { margins: [] };
  let delta = Infinity;
  for (let pass = 1; pass <= maxPasses; pass++) {
    steps = { margins: [] };
    for (const margin of margins) {
      weights = postStratify(margin, weights);
      steps.margins.push({ cells: margin.cells, weights });
    }
    const next = weightedTable(joint, weights);
    delta = 0;
    for (let k = 0; k < next.length; k++) delta = Math.max(delta, Math.abs(next[k]! - table[k]!));
    if (delta < epsilon) return { weights, passes: pass, converged: true, delta, steps };
    table = next;
  }
  return { weights, passes: maxPasses, converged: false, delta, steps };
}

/** One margin's post-stratification: each category's weights scaled to its population total. */
function postStratify(margin: Margin, weights: Float64Array): Float64Array {
  const totals = new Float64Array(margin.population.length);
  for (let i = 0; i < weights.length; i++) totals[margin.cells[i]!]! += weights[i]!;
  margin.population.forEach((population, c) => {
    const sample = totals[c]!;
    if (sample === 0 && population > 0) throw new RangeError(`margin "${margin.name}": category ${c} has a population of ${population} but no respondent`);
    if (population === 0 && sample > 0) throw new RangeError(`margin "${margin.name}": category ${c} has respondents but a population of 0`);
  });
  return weights.map((w, i) => w * (margin.population[margin.cells[i]!]! / totals[margin.cells[i]!]!));
}

/** Each row's cell of the margins' cross-classification, numbered 0 … k-1 in order of appearance. */
function jointCells(margins: readonly Margin[], n: number): { cell: Int32Array; count: number } {
  const ids = new Map<string, number>();
  const cell = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const key = margins.map((m) => m.cells[i]).join(',');
    let id = ids.get(key);
    if (id === undefined) ids.set(key, (id = ids.size));
    cell[i] = id;
  }
  return { cell, count: ids.size };
}

function weightedTable(joint: { cell: Int32Array; count: number }, weights: Float64Array): Float64Array {
  const table = new Float64Array(joint.count);
  for (let i = 0; i < weights.length; i++) table[joint.cell[i]!]! += weights[i]!;
  return table;
}

const sum = (xs: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s;
};

/**
 * Trims weights into [lower, upper] and spreads what was cut over the untrimmed weights, so the total
 * stays the same (survey::trimWeights). `strict` repeats until no weight lies outside the bounds.
 */
export function trimWeights(weights: ArrayLike<number>, bounds: { lower?: number; upper?: number; strict?: boolean }): Float64Array {
  const lower = bounds.lower ?? -Infinity;
  const upper = bounds.upper ?? Infinity;
  let current: Float64Array = Float64Array.from(weights);
  for (;;) {
    const outside = Array.from(current, (w) => w < lower || w > upper);
    const inside = outside.filter((o) => !o).length;
    if (!outside.some(Boolean)) return current;
    const trimmed = current.map((w) => Math.max(lower, Math.min(w, upper)));
    let cut = 0;
    for (let i = 0; i < current.length; i++) cut += current[i]! - trimmed[i]!;
    for (let i = 0; i < current.length; i++) if (!outside[i]) trimmed[i]! += cut / inside;
    current = trimmed;
    if (!bounds.strict) return current;
  }
}

/** Kish's design effect of unequal weights: n Σw² / (Σw)². */
export function kishDesignEffect(weights: ArrayLike<number>): number {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < weights.length; i++) {
    s += weights[i]!;
    s2 += weights[i]! * weights[i]!;
  }
  return (weights.length * s2) / (s * s);
}
