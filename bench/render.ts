/**
 * render's wall time on inputs the size of the paper's data: every published cell of Tables 2-5 for
 * two waves (built from the transcription by test/steps/render/paper-sized.ts), or the real analysis
 * tables when reports/tables/ holds them. One warm-up, then the median of several runs. Prints only.
 */
import { existsSync, readFileSync } from 'node:fs';
import { artifact } from '../contract/step.js';
import figures from '../steps/figures.js';
import render from '../steps/render.js';
import { paperSizedInputs } from '../test/steps/render/paper-sized.js';
import { cores, fmt, median } from './measure.js';

const RUNS = 7;
const inputs = paperSizedInputs();
const reports = new URL('../reports/tables/', import.meta.url);
const real = { table2: 'table2.csv', timeItems: 'time-items.csv', table3: 'table3.csv', table4: 'table4.csv', table5: 'table5.csv' } as const;
let source = 'paper-sized inputs built from raw/published-tables.json (two waves)';
if (Object.values(real).every((f) => existsSync(new URL(f, reports)))) {
  for (const [name, file] of Object.entries(real)) inputs[name] = [artifact(`reports/tables/${file}`, readFileSync(new URL(file, reports)))];
  source = 'reports/tables/*.csv';
}
const rows = Object.entries(real).map(([name]) => inputs[name]![0]!.text().split('\n').filter(Boolean).length - 1);

await render(inputs, {});
const times: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const start = process.hrtime.bigint();
  await render(inputs, {});
  times.push(Number(process.hrtime.bigint() - start) / 1e6);
}
console.log(`render on ${source}: ${rows.join(' / ')} rows (table2 / time-items / table3 / table4 / table5)`);
console.log(`  median ${fmt(median(times))} over ${RUNS} runs (min ${fmt(Math.min(...times))}, max ${fmt(Math.max(...times))}); target < 1 s; ${cores} cores`);

// As the pipeline runs it: the figures step draws the figures once per wave, render takes the drawings.
const bundle = await figures(inputs, {});
const withDrawings = { ...inputs, figures: [artifact('figures:figures.json', (bundle['figures.json'] as { content: string }).content)] };
const drawing: number[] = [];
const assembling: number[] = [];
for (let i = 0; i < RUNS; i++) {
  let start = process.hrtime.bigint();
  await figures(inputs, {});
  drawing.push(Number(process.hrtime.bigint() - start) / 1e6);
  start = process.hrtime.bigint();
  await render(withDrawings, {});
  assembling.push(Number(process.hrtime.bigint() - start) / 1e6);
}
console.log(`  split as in pipeline.ts: figures step median ${fmt(median(drawing))}, render with its drawings median ${fmt(median(assembling))}`);
