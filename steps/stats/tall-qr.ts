/**
 * The R factor of a tall matrix, computed block by block (TSQR) so that a design with a million
 * rows never has to exist as one matrix.
 *
 * Each block of rows is stacked under the R factor found so far and factored again by Householder QR;
 * the new R replaces the old. Orthogonal transformations compose, so the final R is the R factor of
 * the whole matrix (up to the signs of its rows), with the same backward stability as one big
 * Householder QR, while memory stays at one block.
 *
 * The per-block factorisation is `householderR` below, not ml-matrix's QrDecomposition. Trade-off:
 * ml-matrix stores a matrix as one Float64Array per row, clones the input for every decomposition and
 * reaches each entry through get/set; at a million rows (two thousand blocks per model) that
 * allocation and indirection was most of nudge-regress's time. `householderR` works in place on one
 * preallocated column-major buffer, so each inner loop runs down a contiguous column. It performs
 * ml-matrix's (JAMA's) Householder steps operation for operation — the same hypotenuse-based norm,
 * the same sign choice, the same summation order — so its R is bit-for-bit the one ml-matrix gives
 * (test/steps/stats/tall-qr.test.ts compares the two exactly, and the R fixtures still hold at 1e-9,
 * including the near-collinear design). The price is about forty lines of numerical code kept in step
 * with a library; ml-matrix remains the reference in that test and does the small k x k work here.
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
  const r = new Float64Array(k * k); // row-major R so far; zeros to start: stacking them changes nothing
  const height = k + Math.min(blockRows, Math.max(rows.length, 1));
  const buffer = new Float64Array(height * k); // column-major: entry (i, j) at j * m + i
  const rdiag = new Float64Array(k);
  for (let start = 0; start < rows.length; start += blockRows) {
    const count = Math.min(blockRows, rows.length - start);
    const m = k + count;
    for (let j = 0; j < k; j++) {
      const col = j * m;
      for (let i = 0; i < k; i++) buffer[col + i] = r[i * k + j]!;
      const source = columns[j]!;
      for (let b = 0; b < count; b++) buffer[col + k + b] = source[rows[start + b]!]!;
    }
    householderR(buffer, m, k, rdiag, r);
  }
  return Array.from({ length: k }, (_, i) => r.slice(i * k, i * k + k));
}

/**
 * R of the m x n column-major matrix in `a` (overwritten), into `out` (n x n, row-major): ml-matrix's
 * QrDecomposition followed by its upperTriangularMatrix, step for step.
 */
export function householderR(a: Float64Array, m: number, n: number, rdiag: Float64Array, out: Float64Array): void {
  for (let k = 0; k < n; k++) {
    const ck = k * m;
    let nrm = 0;
    for (let i = k; i < m; i++) nrm = hypotenuse(nrm, a[ck + i]!);
    if (nrm !== 0) {
      if (a[ck + k]! < 0) nrm = -nrm;
      for (let i = k; i < m; i++) a[ck + i] = a[ck + i]! / nrm;
      a[ck + k] = a[ck + k]! + 1;
      const akk = a[ck + k]!;
      for (let j = k + 1; j < n; j++) {
        const cj = j * m;
        let s = 0;
        for (let i = k; i < m; i++) s += a[ck + i]! * a[cj + i]!;
        s = -s / akk;
        for (let i = k; i < m; i++) a[cj + i] = a[cj + i]! + s * a[ck + i]!;
      }
    }
    rdiag[k] = -nrm;
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) out[i * n + j] = i < j ? a[j * m + i]! : i === j ? rdiag[i]! : 0;
  }
}

/** sqrt(a^2 + b^2) without overflow, exactly as ml-matrix computes it (so the results agree bit for bit). */
function hypotenuse(a: number, b: number): number {
  if (Math.abs(a) > Math.abs(b)) {
    const r = b / a;
    return Math.abs(a) * Math.sqrt(1 + r * r);
  }
  if (b !== 0) {
    const r = a / b;
    return Math.abs(b) * Math.sqrt(1 + r * r);
  }
  return 0;
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
