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
  const columns = z.map((col) => {
    if (col.length !== n) throw new RangeError(`influence values for ${col.length} respondents, design has ${n}`);
    return design.raking ? residualOfRaking(col, design.raking) : Float64Array.from(col);
  });
  const means = columns.map((col) => col.reduce((s, v) => s + v, 0) / n);
  const scale = n / (n - 1);
  return columns.map((a, j) =>
    columns.map((b, k) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += (a[i]! - means[j]!) * (b[i]! - means[k]!);
      return s * scale;
    }),
  );
}

/** survey's treatment of a raked design: ten sweeps over the margins, each removing the weighted cell means. */
function residualOfRaking(z: Float64Array, raking: RakingSteps): Float64Array {
  const x = Float64Array.from(z);
  for (let sweep = 0; sweep < 10; sweep++) {
    for (const { cells, weights } of raking.margins) {
      const sums = new Map<number, { total: number; count: number }>();
      for (let i = 0; i < x.length; i++) {
        const cell = sums.get(cells[i]!) ?? { total: 0, count: 0 };
        cell.total += x[i]! / weights[i]!;
        cell.count++;
        sums.set(cells[i]!, cell);
      }
      for (let i = 0; i < x.length; i++) {
        const cell = sums.get(cells[i]!)!;
        x[i] = x[i]! - weights[i]! * (cell.total / cell.count);
      }
    }
  }
  return x;
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
  const z = Float64Array.from({ length: y.length }, (_, i) => (Number.isNaN(y[i]!) ? 0 : (w[i]! * (y[i]! - mean)) / total));
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
  const X = new Matrix(rows.map((i) => [1, ...columns.map((c) => c[i]!)]));
  const W = rows.map((i) => w[i]!);
  const XtWX = new Matrix(p, p);
  const XtWy = new Matrix(p, 1);
  rows.forEach((i, r) => {
    for (let a = 0; a < p; a++) {
      XtWy.set(a, 0, XtWy.get(a, 0) + X.get(r, a) * W[r]! * y[i]!);
      for (let b = 0; b < p; b++) XtWX.set(a, b, XtWX.get(a, b) + X.get(r, a) * W[r]! * X.get(r, b));
    }
  });
  const Ainv = inverse(XtWX);
  const beta = Ainv.mmul(XtWy).to1DArray();
  // Each respondent's estimating function x·w·residual, mapped through (X'WX)⁻¹; 0 for those left out.
  const z = Array.from({ length: p }, () => new Float64Array(y.length));
  rows.forEach((i, r) => {
    const residual = y[i]! - beta.reduce((s, b, a) => s + b * X.get(r, a), 0);
    for (let k = 0; k < p; k++) {
      let v = 0;
      for (let a = 0; a < p; a++) v += X.get(r, a) * W[r]! * residual * Ainv.get(a, k);
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
  const keep = (i: number) => !Number.isNaN(x[i]!) && !Number.isNaN(y[i]!) && w[i]! > 0;
  let total = 0;
  let sx = 0;
  let sy = 0;
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    if (!keep(i)) continue;
    total += w[i]!;
    sx += w[i]! * x[i]!;
    sy += w[i]! * y[i]!;
    n++;
  }
  if (n < 3) throw new RangeError(`${n} complete pairs: too few for a correlation's standard error`);
  const mx = sx / total;
  const my = sy / total;
  // The three weighted (co)variances, each a weighted mean of products of deviations (svyvar's, up to its n/(n-1), which r does not see).
  const products = [(i: number) => (x[i]! - mx) ** 2, (i: number) => (x[i]! - mx) * (y[i]! - my), (i: number) => (y[i]! - my) ** 2];
  const c = products.map((f) => {
    let s = 0;
    for (let i = 0; i < x.length; i++) if (keep(i)) s += w[i]! * f(i);
    return s / total;
  });
  const [cxx, cxy, cyy] = c as [number, number, number];
  const r = cxy / Math.sqrt(cxx * cyy);
  const z = products.map((f, k) => Float64Array.from({ length: x.length }, (_, i) => (keep(i) ? (w[i]! * (f(i) - c[k]!)) / total : 0)));
  const V = linearisedCovariance(z, design);
  const g = [-r / (2 * cxx), 1 / Math.sqrt(cxx * cyy), -r / (2 * cyy)];
  let variance = 0;
  for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) variance += g[a]! * V[a]![b]! * g[b]!;
  const se = Math.sqrt(variance);
  const q = normalQuantile(1 - (1 - level) / 2);
  const half = (q * se) / (1 - r * r);
  return { r, n, se, ciLow: Math.tanh(Math.atanh(r) - half), ciHigh: Math.tanh(Math.atanh(r) + half), z: r / se, p: Math.min(1, 2 * normalCdf(-Math.abs(r / se))) };
}
