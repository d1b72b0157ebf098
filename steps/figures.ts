/**
 * figures: one wave's figures, drawn as SVG from their Vega-Lite specs.
 *
 *   index:table2.csv, correlate:table3/4.csv, nudge-regress:table5.csv (this wave) ─┐
 *   raw/published-tables.json, clean/validate logs (this wave) ──────────────────────┴─ plan ─ draw ─ figures.json
 *
 * Runs once per wave, so vega is loaded and each figure drawn only when that wave's data change;
 * render, which gathers every wave, takes the drawings of the latest wave (and the reproduction
 * figure of the wave the article reports) and checks each against its own plan.
 */
import type { StepInputs, StepOutputs } from '../contract/step.js';
import { readAnalysis, type RenderParams } from '../lib/report/analysis-inputs.js';
import { drawFigures, figurePlans, type FigureBundle } from '../lib/report/figure-plans.js';

export default async function figures(inputs: StepInputs, params: RenderParams = {}): Promise<StepOutputs> {
  const { levels, individual, collective, nudges, comparisons, waves, paperWave, experiment, labels } = readAnalysis(inputs, params);
  const wave = waves[0];
  const drawn = await drawFigures(figurePlans({ levels, individual, collective, nudges, comparisons, latest: wave, paperWave, experiment, labels }));
  const bundle: FigureBundle = { wave: wave ?? 0, figures: drawn };
  return { 'figures.json': { content: JSON.stringify(bundle, null, 2) + '\n', rows: drawn.length } };
}
