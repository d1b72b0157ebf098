/**
 * Speed and memory of the statistics module at the analysis's largest scale: OLS with 8 columns
 * (intercept + 7) on 1,000,000 rows, by the blocked ml-matrix QR the module uses, beside one ml-matrix
 * QR of the whole design for comparison. Prints median wall time over several runs and peak RSS; asserts
 * nothing. `node --import tsx bench/stats.ts [rows] [runs]`
 */
import { Matrix, QrDecomposition } from 'ml-matrix';
import mt19937 from '@stdlib/random-base-mt19937';
import { corTest, ols } from '../lib/stats/index.js';

const rows = Number(process.argv[2] ?? 1_000_000);
const runs = Number(process.argv[3] ?? 5);
const controls = 7;

const rand = mt19937.factory({ seed: 20130601 });
const uniform = () => rand() / 4294967296;
const columns = Array.from({ length: controls }, (_, j) => {
  const c = new Float64Array(rows);
  for (let i = 0; i < rows; i++) c[i] = j === 0 ? (uniform() < 0.5 ? 1 : 0) : uniform() * 10;
  return c;
});
const names = columns.map((_, j) => `x${j + 1}`);
const y = new Float64Array(rows);
for (let i = 0; i < rows; i++) {
  let s = 1;
  for (let j = 0; j < controls; j++) s += (j + 1) * 0.1 * columns[j]![i]!;
  y[i] = s + (uniform() - 0.5) * 4;
}

function median(values: number[]): number {
  const s = values.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(label: string, f: () => unknown, times = runs): void {
  const ms: number[] = [];
  for (let r = 0; r < times; r++) {
    const t0 = performance.now();
    f();
    ms.push(performance.now() - t0);
  }
  console.log(`${label.padEnd(52)} median ${median(ms).toFixed(0).padStart(6)} ms over ${times} runs (min ${Math.min(...ms).toFixed(0)}, max ${Math.max(...ms).toFixed(0)})`);
}

const mb = () => (process.resourceUsage().maxRSS / 1024).toFixed(0);
console.log(`rows ${rows}, ${controls} columns + intercept, node ${process.version}`);
console.log(`peak RSS with the data built ${mb()} MB`);
time('ols (blocked QR + HC3 pass)', () => ols(y, columns, names));
console.log(`peak RSS after ols ${mb()} MB`);
const design = [...columns, y];
// What ols does for R: ml-matrix's QrDecomposition of blocks of rows stacked under the R so far.
const BLOCK_ROWS = 512;
time('blocked QR of [X y] by ml-matrix per block', () => {
  const k = design.length;
  let r = new Matrix(k, k);
  for (let start = 0; start < rows; start += BLOCK_ROWS) {
    const count = Math.min(BLOCK_ROWS, rows - start);
    const stacked = new Matrix(k + count, k);
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) stacked.set(i, j, r.get(i, j));
    for (let b = 0; b < count; b++) for (let j = 0; j < k; j++) stacked.set(k + b, j, design[j]![start + b]!);
    r = new QrDecomposition(stacked).upperTriangularMatrix;
  }
  return r;
}, Math.min(runs, 3));
time('corTest pearson', () => corTest(columns[1]!, y));
time('corTest spearman', () => corTest(columns[1]!, y, { method: 'spearman' }), Math.min(runs, 3));
console.log(`peak RSS after the correlations ${mb()} MB`);

if (!process.argv.includes('--no-whole')) {
  // One unblocked ml-matrix QR of the full design, to show why the module does not do this.
  time('ml-matrix QR of the whole design (for comparison)', () => {
    const m = new Matrix(rows, controls + 2);
    for (let i = 0; i < rows; i++) {
      m.set(i, 0, 1);
      for (let j = 0; j < controls; j++) m.set(i, j + 1, columns[j]![i]!);
      m.set(i, controls + 1, y[i]!);
    }
    return new QrDecomposition(m).upperTriangularMatrix;
  }, 1);
  console.log(`peak RSS after the whole-design QR ${mb()} MB`);
}
