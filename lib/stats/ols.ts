/**
 * Ordinary least squares by QR, with classical and HC3-robust inference, matching R's
 * `lm` + `confint` and `sandwich::vcovHC(type = "HC3")` + `lmtest::coeftest` (t with n - p df).
 *
 * The normal equations are never formed: X'X squares the condition number, and the analysis
 * has near-collinear controls. R comes from ml-matrix's Householder QR of [X y], taken a block of rows
 * at a time under the R found so far (TSQR), so a long design never exists as one matrix; a second
 * pass over the rows gives the residuals, the leverages h_i = ||R^-T x_i||^2 and the HC3 "meat".
 */
import { DataError } from '../../contract/step.js';
import { assertNoInfinity, assertSameLength, type Column } from './column.js';
import { tQuantile, tTwoSidedP } from './distributions.js';
import { Matrix, QrDecomposition } from 'ml-matrix';

export interface OlsOptions {
  /** Prepend an intercept column named `(Intercept)` (default true). */
  intercept?: boolean;
  /** Name of y, for error messages (default `'y'`). */
  outcome?: string;
  /** Rows per QR block; only tests and benchmarks change it. */
  blockRows?: number;
}

export interface OlsTerm {
  name: string;
  coef: number;
  /** Classical standard error, sqrt of sigma^2 (X'X)^-1 on the diagonal. */
  se: number;
  t: number;
  /** Two-sided, t with `df` = n - p degrees of freedom. */
  p: number;
  /** 95% interval coef ± t_{0.975, df} se, as R's confint. */
  ci: { lower: number; upper: number };
  /** HC3 sandwich standard error. */
  robustSe: number;
  robustT: number;
  /** Two-sided, t with n - p degrees of freedom (what lmtest::coeftest uses for an lm fit). */
  robustP: number;
}

export interface OlsFit {
  terms: OlsTerm[];
  /** Complete rows used. */
  n: number;
  /** Rows dropped because y or a column was missing (NaN): R's na.omit. */
  dropped: number;
  /** Residual degrees of freedom, n - p. */
  df: number;
  /** R^2; against the mean with an intercept, against 0 without (as R's summary.lm). */
  r2: number;
  /** Residual standard error. */
  sigma: number;
  /** The HC3 covariance matrix of the coefficients (rows and columns in term order), for joint Wald tests. */
  robustVcov: Float64Array[];
}

/** Rows per QR block. */
const BLOCK_ROWS = 512;

/**
 * Upper-triangular R (k x k, as rows) with Q'A = [R; 0] for the matrix A whose columns are `columns`
 * restricted to the row indices in `rows`: each block of rows is stacked under the R so far and
 * factored again. Orthogonal transformations compose, so the last R is the whole matrix's.
 */
function stackedR(columns: readonly Column[], rows: Uint32Array, blockRows: number): Float64Array[] {
  const k = columns.length;
  let r = Matrix.zeros(k, k);
  for (let start = 0; start < rows.length; start += blockRows) {
    const count = Math.min(blockRows, rows.length - start);
    const block = new Matrix(k + count, k);
    for (let j = 0; j < k; j++) {
      for (let i = 0; i < k; i++) block.set(i, j, r.get(i, j));
      for (let b = 0; b < count; b++) block.set(k + b, j, columns[j]![rows[start + b]!]!);
    }
    r = new QrDecomposition(block).upperTriangularMatrix;
  }
  return Array.from({ length: k }, (_, i) => Float64Array.from(r.getRow(i)));
}

/**
 * Residual norm of column `j` of R after projecting out the columns `basis` (indices into R),
 * i.e. the norm of the part of the original column not explained by those columns.
 */
function residualNorm(r: readonly Float64Array[], basis: readonly number[], j: number): number {
  const picked = [...basis, j];
  const sub = new Matrix(r.length, picked.length);
  for (let i = 0; i < r.length; i++) picked.forEach((c, m) => sub.set(i, m, r[i]![c]!));
  return Math.abs(new QrDecomposition(sub).upperTriangularMatrix.get(picked.length - 1, picked.length - 1));
}

/** Euclidean norm of column `j` of R, which equals that of the original column. */
function columnNorm(r: readonly Float64Array[], j: number): number {
  let s = 0;
  for (const row of r) s += row[j]! ** 2;
  return Math.sqrt(s);
}

/** Relative tolerance on the QR diagonal below which a column counts as dependent: R's lm default. */
export const RANK_TOLERANCE = 1e-7;

/** A leverage this close to 1 makes the HC3 weight e_i^2 / (1 - h_i)^2 meaningless. */
const LEVERAGE_LIMIT = 1 - 1e-10;

/**
 * Fits y on `columns` (named `names`) by least squares over the rows where y and every column are
 * present (NaN = missing). Throws a DataError naming the column(s) when the design is rank deficient
 * (a column of zeros, a constant beside the intercept, an exact linear combination of earlier
 * columns), when there are no residual degrees of freedom, when the fit is exact, or when a row has
 * leverage 1 (HC3 undefined) — never returns NaN.
 */
export function ols(y: Column, columns: readonly Column[], names: readonly string[], options: OlsOptions = {}): OlsFit {
  const intercept = options.intercept ?? true;
  const outcome = options.outcome ?? 'y';
  if (columns.length !== names.length) {
    throw new RangeError(`ols: ${columns.length} columns but ${names.length} names`);
  }
  assertSameLength(columns, names, y.length, `outcome "${outcome}"`);
  assertNoInfinity(y, outcome);
  columns.forEach((c, j) => assertNoInfinity(c, names[j] as string));

  const rows = completeRows(y, columns);
  const n = rows.length;
  const design: Column[] = intercept ? [new Float64Array(y.length).fill(1), ...columns] : [...columns];
  const termNames = intercept ? ['(Intercept)', ...names] : [...names];
  const p = design.length;
  if (p === 0) throw new RangeError('ols: the model has no terms');
  if (n <= p) {
    throw new DataError(`cannot fit "${outcome}" on ${p} terms with ${n} complete rows: at least ${p + 1} are needed for a residual degree of freedom`, {
      column: outcome,
      value: n,
    });
  }

  // R of [X y]: its leading p x p block is R of X, its last column holds Q'y and the residual norm.
  const raug = stackedR([...design, y], rows, options.blockRows ?? BLOCK_ROWS);
  assertFullRank(raug, p, termNames, design, rows);

  const rinv = invertUpper(raug, p);
  const coef = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = 0;
    for (let k = i; k < p; k++) s += (rinv[i] as Float64Array)[k]! * (raug[k] as Float64Array)[p]!;
    coef[i] = s;
  }
  const rss = (raug[p] as Float64Array)[p]! ** 2;
  const df = n - p;
  const sigma = Math.sqrt(rss / df);

  const { meat, fittedMean, fittedVar } = secondPass(design, y, rows, coef, rinv, termNames);
  // summary.lm's own test for an exact fit, which would give zero standard errors.
  if (rss / df < (fittedMean ** 2 + fittedVar) * 1e-30) {
    throw new DataError(`"${outcome}" is fitted exactly by ${termNames.join(', ')} (residual sum of squares ${rss}): standard errors and tests are undefined`, {
      column: outcome,
      value: rss,
    });
  }

  const tCrit = tQuantile(0.975, df);
  const terms: OlsTerm[] = termNames.map((name, j) => {
    const row = rinv[j] as Float64Array;
    let unscaled = 0; // (X'X)^-1_jj = ||row j of R^-1||^2
    let robustVar = 0; // (R^-1 M R^-T)_jj
    for (let a = j; a < p; a++) {
      unscaled += row[a]! ** 2;
      for (let b = j; b < p; b++) robustVar += row[a]! * row[b]! * (meat[a] as Float64Array)[b]!;
    }
    const se = sigma * Math.sqrt(unscaled);
    const robustSe = Math.sqrt(robustVar);
    const c = coef[j]!;
    return {
      name,
      coef: c,
      se,
      t: c / se,
      p: tTwoSidedP(c / se, df),
      ci: { lower: c - tCrit * se, upper: c + tCrit * se },
      robustSe,
      robustT: c / robustSe,
      robustP: tTwoSidedP(c / robustSe, df),
    };
  });

  const tss = intercept ? centredSumOfSquares(y, rows) : sumOfSquares(y, rows);
  return { terms, n, dropped: y.length - n, df, r2: 1 - rss / tss, sigma, robustVcov: sandwich(rinv, meat, p) };
}

/** R^-1 M R^-T in full; its diagonal is the terms' robust variances, summed in the same order. */
function sandwich(rinv: readonly Float64Array[], meat: readonly Float64Array[], p: number): Float64Array[] {
  const v = Array.from({ length: p }, () => new Float64Array(p));
  for (let j = 0; j < p; j++) {
    for (let k = j; k < p; k++) {
      let s = 0;
      for (let a = j; a < p; a++) for (let b = k; b < p; b++) s += rinv[j]![a]! * rinv[k]![b]! * meat[a]![b]!;
      v[j]![k] = s;
      v[k]![j] = s;
    }
  }
  return v;
}

function completeRows(y: Column, columns: readonly Column[]): Uint32Array {
  const keep = new Uint32Array(y.length);
  let count = 0;
  outer: for (let i = 0; i < y.length; i++) {
    if (Number.isNaN(y[i])) continue;
    for (let j = 0; j < columns.length; j++) if (Number.isNaN((columns[j] as Column)[i])) continue outer;
    keep[count++] = i;
  }
  return keep.slice(0, count);
}

/**
 * Walks the columns left to right as R's dqrdc2 does: a column whose part not explained by the
 * accepted columns before it is below RANK_TOLERANCE times its own norm is dependent. Column norms
 * and projections are those of R's columns, which equal the design's (Q is orthogonal).
 */
function assertFullRank(r: readonly Float64Array[], p: number, names: readonly string[], design: readonly Column[], rows: Uint32Array): void {
  const accepted: number[] = [];
  const problems: string[] = [];
  const offending: string[] = [];
  for (let j = 0; j < p; j++) {
    const norm = columnNorm(r, j);
    // dqrdc2 compares a zero column against 1, so it is always dependent.
    const residual = residualNorm(r, accepted, j);
    if (residual >= RANK_TOLERANCE * (norm === 0 ? 1 : norm)) {
      accepted.push(j);
      continue;
    }
    const name = names[j] as string;
    offending.push(name);
    const first = rows.length > 0 ? (design[j] as Column)[rows[0]!]! : NaN;
    if (norm === 0) problems.push(`"${name}" is zero in every complete row`);
    else if (isConstant(design[j] as Column, rows) && names[0] === '(Intercept)') problems.push(`"${name}" is constant (every value is ${first}) and so duplicates the intercept`);
    else {
      const earlier = accepted.map((a) => `"${names[a]}"`).join(', ');
      problems.push(`"${name}" is a linear combination of ${earlier} (unexplained part ${(residual / norm).toExponential(1)} of its norm, tolerance ${RANK_TOLERANCE})`);
    }
  }
  if (offending.length > 0) {
    throw new DataError(`design is rank deficient: ${problems.join('; ')}. Drop or recode ${offending.map((o) => `"${o}"`).join(', ')}.`, {
      column: offending.join(', '),
    });
  }
}

function isConstant(column: Column, rows: Uint32Array): boolean {
  const first = column[rows[0]!];
  for (const i of rows) if (column[i] !== first) return false;
  return true;
}

/** Inverse of the leading p x p block of upper-triangular `r`, by back substitution. */
function invertUpper(r: readonly Float64Array[], p: number): Float64Array[] {
  const inv = Array.from({ length: p }, () => new Float64Array(p));
  for (let col = 0; col < p; col++) {
    for (let i = col; i >= 0; i--) {
      let s = i === col ? 1 : 0;
      for (let k = i + 1; k <= col; k++) s -= (r[i] as Float64Array)[k]! * (inv[k] as Float64Array)[col]!;
      (inv[i] as Float64Array)[col] = s / (r[i] as Float64Array)[i]!;
    }
  }
  return inv;
}

/**
 * Second pass over the rows: residual e_i, z_i = R^-T x_i (so h_i = ||z_i||^2), and the HC3 meat
 * sum_i e_i^2 / (1 - h_i)^2 z_i z_i' (upper triangle filled symmetric). Also the mean and variance
 * of the fitted values, for the exact-fit test.
 */
function secondPass(design: readonly Column[], y: Column, rows: Uint32Array, coef: Float64Array, rinv: readonly Float64Array[], names: readonly string[]) {
  const p = design.length;
  // Flat copies (R^-1 by columns, the meat by rows): the per-row loops then read contiguous memory.
  // The arithmetic and its order are unchanged, so the results are the same to the last bit.
  const rinvByColumn = new Float64Array(p * p);
  for (let j = 0; j < p; j++) for (let k = 0; k <= j; k++) rinvByColumn[j * p + k] = (rinv[k] as Float64Array)[j]!;
  const flatMeat = new Float64Array(p * p);
  const x = new Float64Array(p);
  const z = new Float64Array(p);
  let fittedSum = 0;
  let fittedSq = 0;
  let shift = NaN; // first fitted value, to keep the variance sum free of cancellation
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r]!;
    let fitted = 0;
    for (let j = 0; j < p; j++) {
      const v = (design[j] as Column)[i]!;
      x[j] = v;
      fitted += v * coef[j]!;
    }
    if (Number.isNaN(shift)) shift = fitted;
    fittedSum += fitted - shift;
    fittedSq += (fitted - shift) ** 2;
    const e = (y[i] as number) - fitted;
    let h = 0;
    for (let j = 0; j < p; j++) {
      let s = 0;
      const col = j * p;
      for (let k = 0; k <= j; k++) s += rinvByColumn[col + k]! * x[k]!;
      z[j] = s;
      h += s * s;
    }
    if (h > LEVERAGE_LIMIT) {
      throw new DataError(`row ${i} has leverage 1 (it alone determines a coefficient, e.g. the only row of a dummy category), so HC3 standard errors are undefined; terms: ${names.join(', ')}`, {
        line: i,
        value: h,
      });
    }
    const w = (e / (1 - h)) ** 2;
    for (let a = 0; a < p; a++) {
      const wa = w * z[a]!;
      const row = a * p;
      for (let b = a; b < p; b++) flatMeat[row + b] = flatMeat[row + b]! + wa * z[b]!;
    }
  }
  const meat = Array.from({ length: p }, (_, a) => flatMeat.slice(a * p, a * p + p));
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) (meat[a] as Float64Array)[b] = (meat[b] as Float64Array)[a]!;
  const n = rows.length;
  const meanOffset = fittedSum / n;
  const fittedMean = shift + meanOffset;
  const fittedVar = n > 1 ? (fittedSq - n * meanOffset ** 2) / (n - 1) : 0;
  return { meat, fittedMean, fittedVar };
}

function centredSumOfSquares(y: Column, rows: Uint32Array): number {
  let sum = 0;
  for (const i of rows) sum += y[i]!;
  const mean = sum / rows.length;
  let ss = 0;
  for (const i of rows) ss += (y[i]! - mean) ** 2;
  return ss;
}

function sumOfSquares(y: Column, rows: Uint32Array): number {
  let ss = 0;
  for (const i of rows) ss += y[i]! ** 2;
  return ss;
}
