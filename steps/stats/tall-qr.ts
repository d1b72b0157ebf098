/**
 * The R factor of a tall matrix, computed block by block (TSQR) so that a design with a million
 * rows never has to exist as one matrix.
 *
 * Each block of rows is stacked under the R factor found so far and factored again with ml-matrix's
 * Householder QR; the new R replaces the old. Orthogonal transformations compose, so the final R is
 * the R factor of the whole matrix (up to the signs of its rows), with the same backward stability
 * as one big Householder QR, while memory stays at one block.
 */
import { Matrix, QrDecomposition } from 'ml-matrix';
import type { Column } from './column.js';

/** Rows per block: large enough that per-block overhead vanishes, small enough to stay in cache. */
export const DEFAULT_BLOCK_ROWS = 512;

/**
 * Upper-triangular R (k x k, row-major arrays) with Q'A = [R; 0] for the matrix A whose columns are
 * `columns` restricted to the row indices in `rows` (in that order).
 */
export function tallQrR(columns: readonly Column[], rows: Uint32Array, blockRows = DEFAULT_BLOCK_ROWS): Float64Array[] {
  const k = columns.length;
  let r: Matrix = new Matrix(k, k); // zeros: stacking them changes nothing
  const full = new Matrix(k + blockRows, k);
  for (let start = 0; start < rows.length; start += blockRows) {
    const count = Math.min(blockRows, rows.length - start);
    const stacked = count === blockRows ? full : new Matrix(k + count, k);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) stacked.set(i, j, r.get(i, j));
    }
    for (let b = 0; b < count; b++) {
      const row = rows[start + b] as number;
      for (let j = 0; j < k; j++) stacked.set(k + b, j, (columns[j] as Column)[row] as number);
    }
    r = new QrDecomposition(stacked).upperTriangularMatrix;
  }
  return Array.from({ length: k }, (_, i) => Float64Array.from(r.getRow(i)));
}

/**
 * Residual norm of column `j` of R after projecting out the columns `basis` (indices into R),
 * i.e. the norm of the part of the original column not explained by those columns.
 */
export function residualNorm(r: readonly Float64Array[], basis: readonly number[], j: number): number {
  const picked = [...basis, j];
  const sub = new Matrix(r.length, picked.length);
  for (let i = 0; i < r.length; i++) {
    picked.forEach((c, m) => sub.set(i, m, (r[i] as Float64Array)[c] as number));
  }
  const qr = new QrDecomposition(sub);
  return Math.abs(qr.upperTriangularMatrix.get(picked.length - 1, picked.length - 1));
}

/** Euclidean norm of column `j` of R, which equals that of the original column. */
export function columnNorm(r: readonly Float64Array[], j: number): number {
  let s = 0;
  for (const row of r) s += (row[j] as number) ** 2;
  return Math.sqrt(s);
}
