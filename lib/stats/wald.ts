/**
 * Joint Wald tests of several coefficients from a covariance matrix (here the HC3 sandwich), as
 * `lmtest::waldtest(fit, restricted, vcov = V)` computes them: W = b' V^-1 b over the q tested
 * coefficients; F = W / q against F(q, residual df) for a linear model, and W against chi-square(q)
 * where no residual df applies (several outcomes at once).
 */
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { DataError } from '../../contract/step.js';
import { chiSquareUpperTail, fUpperTail } from './distributions.js';

export interface WaldTest {
  /** W = b' V^-1 b. */
  statistic: number;
  /** Coefficients tested. */
  df1: number;
  /** P(chi-square(q) >= W). */
  pChiSquare: number;
  /** W / q and its p-value against F(q, residualDf); present when a residual df was given. */
  f?: number;
  df2?: number;
  pF?: number;
}

/**
 * Tests that every coefficient in `estimates` is zero, given their covariance `vcov` (q x q, rows in
 * the order of `estimates`). `names` label the coefficients in the error thrown when the matrix is
 * not positive definite (a coefficient with no variance, or two that are the same contrast).
 */
export function waldTest(estimates: readonly number[], vcov: readonly (readonly number[] | Float64Array)[], names: readonly string[], residualDf?: number): WaldTest {
  const q = estimates.length;
  if (q === 0) throw new RangeError('waldTest: nothing to test');
  if (vcov.length !== q || vcov.some((row) => row.length !== q)) throw new RangeError(`waldTest: ${q} estimates need a ${q} x ${q} covariance matrix`);
  const chol = new CholeskyDecomposition(new Matrix(vcov.map((row) => Array.from(row))));
  if (!chol.isPositiveDefinite()) {
    throw new DataError(`the covariance matrix of ${names.join(', ')} is not positive definite, so they cannot be tested jointly (a coefficient without variance, or two coefficients that are one contrast)`, {
      column: names.join(', '),
    });
  }
  const b = Matrix.columnVector([...estimates]);
  const statistic = b.transpose().mmul(chol.solve(b)).get(0, 0);
  const test: WaldTest = { statistic, df1: q, pChiSquare: chiSquareUpperTail(statistic, q) };
  if (residualDf !== undefined) {
    test.f = statistic / q;
    test.df2 = residualDf;
    test.pF = fUpperTail(statistic / q, q, residualDf);
  }
  return test;
}
