/**
 * Design-based estimates for a weighted sample of independent respondents (one stage, no strata):
 * means, Gaussian regression (weighted least squares) and correlations, equal to R's
 * `svymean(na.rm = TRUE)`, `svyglm`, `cov.wt(cor = TRUE)` and, for a correlation's standard error,
 * `svycontrast` of r on `svyvar`.
 *
 * Variances are linearised (Taylor series): each estimate's influence values are summed as
 * n/(n-1) Σ (zᵢ - z̄)². A respondent missing the variable stays in the design with influence 0
 * (domain estimation, as survey does), so n counts every respondent of the design. For raked weights
 * the influence values are first made residuals of the raking margins, as survey does for a raked
 * design: the calibration then lowers the variance where the margins explain the variable.
 */
import { Matrix, inverse } from 'ml-matrix';
import { normalCdf, normalQuantile, tTwoSidedP } from './distributions.js';
import type { RakingSteps } from './raking.js';

export interface Design {
  weights: ArrayLike<number>;
  /** Present for raked weights: the calibration their variance accounts for. */
  raking?: RakingSteps;
}

/** Variance-covariance matrix of estimates whose influence values are the columns of `z` (rows = respondents). */
export function linearisedCovariance(z: Float64Array[], design: Design): number[][] {
  const n = design.weights.length;
  for (const col of z) if (col.length !== n) throw new RangeError(`influence values for ${col.length} respondents, design has ${n}`);
  const columns = design.raking ? residualsOfRaking(z, rakingCells(design.raking)) : z;
  const means = columns.map((col) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += col[i]!;
    return s / n;
  });
  const scale = n / (n - 1);
  // Symmetric: each pair of columns is summed once (a product of two deviations does not depend on their order).
  const V = columns.map(() => new Array<number>(columns.length).fill(0));
  for (let j = 0; j < columns.length; j++) {
    const a = columns[j]!;
    const ma = means[j]!;
    for (let k = j; k < columns.length; k++) {
      const b = columns[k]!;
      const mb = means[k]!;
      let s = 0;
      for (let i = 0; i < n; i++) s += (a[i]! - ma) * (b[i]! - mb);
      V[j]![k] = V[k]![j] = s * scale;
    }
  }
  return V;
}

/**
 * A raked design's margins worked out once per design: each respondent's cell of each margin numbered
 * 0 … k-1, each cell's size, and for every two margins s and t the sums of w_t / w_s over the
 * respondents in each pair of their cells, which is all the sweeps below need to know of the respondents.
 */
interface RakingCells {
  steps: Array<{ cell: Int32Array; weights: Float64Array; count: Float64Array }>;
  /** cross[s][t][c * k_t + d]: Σ w_t / w_s over the respondents in cell c of margin s and cell d of margin t. */
  cross: Float64Array[][];
}

const cellsOfRaking = new WeakMap<RakingSteps, RakingCells>();

function rakingCells(raking: RakingSteps): RakingCells {
  let found = cellsOfRaking.get(raking);
  if (found) return found;
  const steps = raking.margins.map(({ cells, weights }) => {
    const number = new Map<number, number>();
    const cell = new Int32Array(cells.length);
    for (let i = 0; i < cells.length; i++) {
      let c = number.get(cells[i]!);
      if (c === undefined) number.set(cells[i]!, (c = number.size));
      cell[i] = c;
    }
    const count = new Float64Array(number.size);
    for (let i = 0; i < cell.length; i++) count[cell[i]!]!++;
    return { cell, weights, count };
  });
  const cross = steps.map((s) =>
    steps.map((t) => {
      const k = t.count.length;
      const sums = new Float64Array(s.count.length * k);
      for (let i = 0; i < s.cell.length; i++) sums[s.cell[i]! * k + t.cell[i]!]! += t.weights[i]! / s.weights[i]!;
      return sums;
    }),
  );
  found = { steps, cross };
  cellsOfRaking.set(raking, found);
  return found;
}

/**
 * survey's treatment of a raked design: ten sweeps over the margins, each removing the weighted cell
 * means. Each sweep takes from a respondent w_s times its cell's mean, so after the sweeps the residual is
 * z minus Σ_s w_s · removed_s[cell]: the sweeps run on the cells' totals (z / w_s summed per cell once,
 * and the cross sums), and the respondents are visited once more at the end, not twice per margin and sweep.
 */
function residualsOfRaking(z: Float64Array[], raking: RakingCells): Float64Array[] {
  const { steps, cross } = raking;
  return z.map((column) => {
    const totals = steps.map(({ cell, weights, count }) => {
      const sums = new Float64Array(count.length);
      for (let i = 0; i < column.length; i++) sums[cell[i]!]! += column[i]! / weights[i]!;
      return sums;
    });
    const removed = steps.map(({ count }) => new Float64Array(count.length));
    for (let sweep = 0; sweep < 10; sweep++) {
      steps.forEach(({ count }, s) => {
        // Each cell's mean of x / w_s as the sweeps so far have left x.
        const means = Array.from(count, (size, c) => {
          let total = totals[s]![c]!;
          steps.forEach((t, u) => {
            const k = t.count.length;
            for (let d = 0; d < k; d++) total -= cross[s]![u]![c * k + d]! * removed[u]![d]!;
          });
          return total / size;
        });
        means.forEach((m, c) => (removed[s]![c] = removed[s]![c]! + m));
      });
    }
    const x = Float64Array.from(column);
    steps.forEach(({ cell, weights }, s) => {
      for (let i = 0; i < x.length; i++) x[i] = x[i]! - weights[i]! * removed[s]![cell[i]!]!;
    });
    return x;
  });
}

export interface SurveyMean {
  mean: number;
  se: number;
  /** Respondents with an answer. */
  n: number;
}

/** The weighted mean of `y` (NaN = no answer) with its linearised standard error. */
export function surveyMean(y: ArrayLike<number>, design: Design): SurveyMean {
  const w = design.weights;
  let total = 0;
  let weighted = 0;
  let n = 0;
  for (let i = 0; i < y.length; i++) {
    if (Number.isNaN(y[i]!)) continue;
    total += w[i]!;
    weighted += w[i]! * y[i]!;
    n++;
  }
  if (n === 0) throw new RangeError('no respondent answered: the mean is undefined');
  const mean = weighted / total;
  const z = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) if (!Number.isNaN(y[i]!)) z[i] = (w[i]! * (y[i]! - mean)) / total;
  return { mean, se: Math.sqrt(linearisedCovariance([z], design)[0]![0]!), n };
}

export interface SurveyTerm {
  name: string;
  coef: number;
  se: number;
  t: number;
  p: number;
}

export interface SurveyRegression {
  terms: SurveyTerm[];
  /** Respondents with the outcome and every predictor. */
  n: number;
  /** Residual degrees of freedom: n - 1 - (number of predictors), as svyglm. */
  df: number;
}

/**
 * Weighted least squares of `y` on an intercept and `columns`, on the respondents with every value,
 * with design-based standard errors (svyglm with the Gaussian family).
 */
export function surveyRegression(y: ArrayLike<number>, columns: ArrayLike<number>[], names: string[], design: Design): SurveyRegression {
  const w = design.weights;
  const rows: number[] = [];
  for (let i = 0; i < y.length; i++) if (!Number.isNaN(y[i]!) && columns.every((c) => !Number.isNaN(c[i]!))) rows.push(i);
  const p = columns.length + 1;
  if (rows.length <= p) throw new RangeError(`${rows.length} complete respondents for ${p} coefficients: too few to fit`);
  // The design matrix row by row (intercept first), as one flat typed column.
  const X = new Float64Array(rows.length * p);
  rows.forEach((i, r) => {
    X[r * p] = 1;
    for (let a = 1; a < p; a++) X[r * p + a] = columns[a - 1]![i]!;
  });
  const W = rows.map((i) => w[i]!);
  const xtwx = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const xtwy = new Array<number>(p).fill(0);
  rows.forEach((i, r) => {
    for (let a = 0; a < p; a++) {
      xtwy[a] = xtwy[a]! + X[r * p + a]! * W[r]! * y[i]!;
      for (let b = 0; b < p; b++) xtwx[a]![b] = xtwx[a]![b]! + X[r * p + a]! * W[r]! * X[r * p + b]!;
    }
  });
  const inv = inverse(new Matrix(xtwx));
  const Ainv = inv.to2DArray();
  const beta = inv.mmul(Matrix.columnVector(xtwy)).to1DArray();
  // Each respondent's estimating function x·w·residual, mapped through (X'WX)⁻¹; 0 for those left out.
  const z = Array.from({ length: p }, () => new Float64Array(y.length));
  rows.forEach((i, r) => {
    let fitted = 0;
    for (let a = 0; a < p; a++) fitted += beta[a]! * X[r * p + a]!;
    const residual = y[i]! - fitted;
    for (let k = 0; k < p; k++) {
      let v = 0;
      for (let a = 0; a < p; a++) v += X[r * p + a]! * W[r]! * residual * Ainv[a]![k]!;
      z[k]![i] = v;
    }
  });
  const V = linearisedCovariance(z, design);
  const df = rows.length - p;
  const terms = ['(Intercept)', ...names].map((name, k) => {
    const se = Math.sqrt(V[k]![k]!);
    const t = beta[k]! / se;
    return { name, coef: beta[k]!, se, t, p: tTwoSidedP(t, df) };
  });
  return { terms, n: rows.length, df };
}

/** The weighted Pearson correlation of the complete pairs (R's cov.wt(cor = TRUE)). */
export function weightedCorrelation(x: ArrayLike<number>, y: ArrayLike<number>, weights: ArrayLike<number>): { r: number; n: number } {
  let sw = 0;
  let sx = 0;
  let sy = 0;
  let n = 0;
  const keep = (i: number) => !Number.isNaN(x[i]!) && !Number.isNaN(y[i]!);
  for (let i = 0; i < x.length; i++) {
    if (!keep(i)) continue;
    sw += weights[i]!;
    sx += weights[i]! * x[i]!;
    sy += weights[i]! * y[i]!;
    n++;
  }
  const mx = sx / sw;
  const my = sy / sw;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    if (!keep(i)) continue;
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += weights[i]! * dx * dy;
    sxx += weights[i]! * dx * dx;
    syy += weights[i]! * dy * dy;
  }
  return { r: sxy / Math.sqrt(sxx * syy), n };
}

export interface SurveyCorrelation {
  r: number;
  /** Complete pairs. */
  n: number;
  /** Delta-method standard error of r from the linearised variance of the weighted covariances. */
  se: number;
  /** 95% interval by Fisher's z: tanh(atanh r ± 1.96 se / (1 - r²)). */
  ciLow: number;
  ciHigh: number;
  /** Wald statistic r / se and its two-sided normal p. */
  z: number;
  p: number;
}

/**
 * The weighted Pearson r of the complete pairs with design-based inference, as R gives it from
 * `svyvar(~x + y, design, na.rm = TRUE)`: r = cov2cor of the weighted covariance matrix, its SE by
 * the delta method on svyvar's linearised variance (`svycontrast(…, quote(xy / sqrt(xx * yy)))`),
 * so a raked design's calibration enters as it does for a mean. Rows missing either value stay in
 * the design with influence 0 (a domain), as for surveyMean.
 */
export function surveyCorrelation(x: ArrayLike<number>, y: ArrayLike<number>, design: Design, level = 0.95): SurveyCorrelation {
  const w = design.weights;
  const keep = new Uint8Array(x.length);
  let total = 0;
  let sx = 0;
  let sy = 0;
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]!) || Number.isNaN(y[i]!) || !(w[i]! > 0)) continue;
    keep[i] = 1;
    total += w[i]!;
    sx += w[i]! * x[i]!;
    sy += w[i]! * y[i]!;
    n++;
  }
  if (n < 3) throw new RangeError(`${n} complete pairs: too few for a correlation's standard error`);
  const mx = sx / total;
  const my = sy / total;
  // The three weighted (co)variances, each a weighted mean of products of deviations (svyvar's, up to its n/(n-1), which r does not see).
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    if (!keep[i]) continue;
    sxx += w[i]! * (x[i]! - mx) ** 2;
    sxy += w[i]! * ((x[i]! - mx) * (y[i]! - my));
    syy += w[i]! * (y[i]! - my) ** 2;
  }
  const c = [sxx / total, sxy / total, syy / total];
  const [cxx, cxy, cyy] = c as [number, number, number];
  const r = cxy / Math.sqrt(cxx * cyy);
  // Each respondent's influence on the three (co)variances; 0 outside the complete pairs.
  const z = [new Float64Array(x.length), new Float64Array(x.length), new Float64Array(x.length)] as const;
  for (let i = 0; i < x.length; i++) {
    if (!keep[i]) continue;
    z[0][i] = (w[i]! * ((x[i]! - mx) ** 2 - cxx)) / total;
    z[1][i] = (w[i]! * ((x[i]! - mx) * (y[i]! - my) - cxy)) / total;
    z[2][i] = (w[i]! * ((y[i]! - my) ** 2 - cyy)) / total;
  }
  const V = linearisedCovariance([...z], design);
  const g = [-r / (2 * cxx), 1 / Math.sqrt(cxx * cyy), -r / (2 * cyy)];
  let variance = 0;
  for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) variance += g[a]! * V[a]![b]! * g[b]!;
  const se = Math.sqrt(variance);
  const q = normalQuantile(1 - (1 - level) / 2);
  const half = (q * se) / (1 - r * r);
  return { r, n, se, ciLow: Math.tanh(Math.atanh(r) - half), ciHigh: Math.tanh(Math.atanh(r) + half), z: r / se, p: Math.min(1, 2 * normalCdf(-Math.abs(r / se))) };
}
