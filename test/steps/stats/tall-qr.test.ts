import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { columnNorm, residualNorm, tallQrR } from '../../../steps/stats/tall-qr.js';

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

test.run();
