import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Matrix, QrDecomposition } from 'ml-matrix';
import { columnNorm, householderR, residualNorm, tallQrR } from '../../../steps/stats/tall-qr.js';

const columns = [
  [1, 1, 1, 1, 1, 1, 1],
  [2, 7, 1, 8, 2, 8, 1],
  [3, 1, 4, 1, 5, 9, 2],
];
const everyRow = Uint32Array.from([0, 1, 2, 3, 4, 5, 6]);

function gram(r: Float64Array[]): number[][] {
  return [0, 1, 2].map((a) => [0, 1, 2].map((b) => r.reduce((s, row) => s + row[a]! * row[b]!, 0)));
}

test("R'R equals X'X whatever the block size (R is X's triangular factor)", () => {
  const xtx = [0, 1, 2].map((a) => [0, 1, 2].map((b) => columns[a]!.reduce((s, v, i) => s + v * columns[b]![i]!, 0)));
  for (const block of [1, 2, 3, 7, 100]) {
    const r = tallQrR(columns, everyRow, block);
    r.forEach((row, i) => row.forEach((v, j) => j < i && assert.is(v, 0, `below the diagonal at ${i},${j}`)));
    gram(r).forEach((row, a) => row.forEach((v, b) => assert.ok(Math.abs(v - xtx[a]![b]!) < 1e-10, `block ${block}: (${a},${b}) ${v} vs ${xtx[a]![b]}`)));
  }
});

test('only the listed rows enter the factor', () => {
  const r = tallQrR([[1, 99, 1, 1]], Uint32Array.from([0, 2, 3]));
  assert.ok(Math.abs(Math.abs(r[0]![0]!) - Math.sqrt(3)) < 1e-15);
});

test('column norms and unexplained parts are those of the original columns', () => {
  const r = tallQrR(columns, everyRow);
  assert.ok(Math.abs(columnNorm(r, 0) - Math.sqrt(7)) < 1e-12);
  // the part of column 1 not explained by the constant is its centred norm
  const mean = columns[1]!.reduce((a, b) => a + b) / 7;
  const centred = Math.sqrt(columns[1]!.reduce((s, v) => s + (v - mean) ** 2, 0));
  assert.ok(Math.abs(residualNorm(r, [0], 1) - centred) < 1e-12);
});

test("the block factorisation gives ml-matrix's R bit for bit, near-collinear and zero columns included", () => {
  // Column-major 9 x 4: a constant, a column, that column plus 1e-9 noise (near-collinear), and zeros.
  const m = 9;
  const n = 4;
  const cols = [
    [1, 1, 1, 1, 1, 1, 1, 1, 1],
    [3, -1, 4, 1, -5, 9, 2, -6, 5],
    [3, -1, 4, 1, -5, 9, 2, -6, 5].map((v, i) => v + (i % 2 ? 1e-9 : -1e-9)),
    [0, 0, 0, 0, 0, 0, 0, 0, 0],
  ];
  const buffer = Float64Array.from(cols.flat());
  const got = new Float64Array(n * n);
  householderR(buffer, m, n, new Float64Array(n), got);
  const want = new QrDecomposition(new Matrix(Array.from({ length: m }, (_, i) => cols.map((c) => c[i]!)))).upperTriangularMatrix;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) assert.ok(Object.is(got[i * n + j], want.get(i, j)), `(${i},${j}): ${got[i * n + j]} vs ${want.get(i, j)}`);
});

test('the blocked factor is the one repeated ml-matrix QRs of [R; block] give, bit for bit', () => {
  const rows = Uint32Array.from([6, 0, 5, 1, 4, 2, 3]);
  for (const block of [1, 3, 7]) {
    let r = new Matrix(3, 3);
    for (let start = 0; start < rows.length; start += block) {
      const part = [...rows.subarray(start, start + block)].map((row) => columns.map((c) => c[row]!));
      r = new QrDecomposition(new Matrix([...r.to2DArray(), ...part])).upperTriangularMatrix;
    }
    const got = tallQrR(columns, rows, block);
    got.forEach((row, i) => row.forEach((v, j) => assert.ok(Object.is(v, r.get(i, j)), `block ${block} (${i},${j}): ${v} vs ${r.get(i, j)}`)));
  }
});

test.run();
