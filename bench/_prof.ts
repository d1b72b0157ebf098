import { ols } from '../steps/stats/ols.js';
const n = 1_000_000;
const cols = Array.from({ length: 7 }, () => { const c = new Float64Array(n); for (let i = 0; i < n; i++) c[i] = Math.random(); return c; });
const y = new Float64Array(n); for (let i = 0; i < n; i++) y[i] = Math.random();
for (const b of [64, 128, 256, 512, 2048]) { const ms = []; for (let r = 0; r < 3; r++) { const t0 = performance.now(); ols(y, cols, cols.map((_, j) => 'x' + j), { blockRows: b }); ms.push(performance.now() - t0); } console.log(b, ms.map((m) => m.toFixed(0)).join(' ')); }
