/**
 * render: the analysis tables → the regenerated paper, its figures and its published tables.
 *
 *   index:table2.csv, index:time-items.csv ─┐
 *   correlate:table3.csv, table4.csv ───────┼─ read & check ─┬─ figures (Vega-Lite → SVG) ─┐
 *   nudge-regress:table5.csv ───────────────┤                ├─ reproduction, audit ────────┼─ document ─┬─ paper.md
 *   raw/published-tables.json ──────────────┤                └─ findings ───────────────────┘            ├─ paper.html
 *   clean/validate logs, provenance ────────┤                                                            └─ tables/*.csv, figures/*
 *   compare-waves:*.csv (optional) ─────────┘  (the panel across waves: render/waves.ts)
 *
 * A pure function of its inputs: no clock, no file system. Output is the same bytes for the same
 * inputs (the determinism test renders twice and compares).
 */
import { DataError, type Artifact, type StepInputs, type StepOutputs } from '../runner/step.js';
import type { CleaningLog } from './clean.js';
import { audit, AUDIT_COLUMNS } from './render/audit.js';
import { passThrough, readCsv, writeCsv } from './render/csv.js';
import type { Figure } from './render/document.js';
import { heatmapSpec, levelsSpec, nudgeSpec, publishedSpec, type ComparedValue } from './render/figures.js';
import { toHtml } from './render/html.js';
import { readCorrelations, readLevels, readNudges, readTimeItems, wavesOf } from './render/inputs.js';
import { toMarkdown } from './render/markdown.js';
import { paper, TITLE, type Model } from './render/paper.js';
import { readProvenance, type Source } from './render/provenance.js';
import { readPublished } from './render/published.js';
import { comparisonCells, DEFAULT_TOLERANCES, reproduce, REPRODUCTION_COLUMNS, type Tolerances } from './render/reproduction.js';
import { respondentsByArea } from './render/respondents.js';
import { gatherCsv, mergeCleaningLogs, mergeValidationReports } from './render/gather.js';
import { renderSvg } from './render/svg.js';
import { readWaveChanges, WAVE_TABLES } from './render/waves.js';
import type { ValidationReport } from './validate.js';

export interface RenderParams {
  /** The wave the article reports, which the reproduction check compares with (2013). */
  paperWave?: number;
  tolerances?: Partial<Tolerances>;
}

function one(inputs: StepInputs, name: string): Artifact {
  const list = inputs[name] ?? [];
  if (list.length !== 1) throw new DataError(`render expects exactly one "${name}" input, got ${list.length}`, { value: list.map((a) => a.path) });
  return list[0]!;
}

interface FigurePlan {
  name: string;
  label: string;
  caption: string;
  alt: string;
  spec: object;
}

export default async function render(inputs: StepInputs, params: RenderParams = {}): Promise<StepOutputs> {
  // Per-wave inputs (one artifact per wave) are put together; sources keep the per-wave parts.
  const gathered = {
    table2: gatherCsv(inputs, 'table2'),
    timeItems: gatherCsv(inputs, 'timeItems'),
    table3: gatherCsv(inputs, 'table3'),
    table4: gatherCsv(inputs, 'table4'),
    table5: gatherCsv(inputs, 'table5'),
  };
  const files = {
    table2: gathered.table2.merged,
    timeItems: gathered.timeItems.merged,
    table3: gathered.table3.merged,
    table4: gathered.table4.merged,
    table5: gathered.table5.merged,
    published: one(inputs, 'published'),
  };
  const cleaningArts = inputs.cleaning ?? [];
  const validationArts = inputs.validation ?? [];
  const cleaning = mergeCleaningLogs(cleaningArts.map((a) => a.json<CleaningLog>()));
  const validation = mergeValidationReports(validationArts.map((a) => a.json<ValidationReport>()));
  const levels = readLevels(files.table2);
  const timeItems = readTimeItems(files.timeItems);
  const individual = readCorrelations(files.table3);
  const collective = readCorrelations(files.table4);
  const nudges = readNudges(files.table5);
  const published = readPublished(files.published);
  const tolerances = { ...DEFAULT_TOLERANCES, ...params.tolerances };
  const paperWave = params.paperWave ?? 2013;
  const waves = wavesOf(levels, timeItems, individual, collective, nudges);
  const counts = respondentsByArea(cleaning, validation, levels);
  const comparisons = reproduce({ published, wave: paperWave, levels, timeItems, individual, collective, nudges, counts, tolerances });
  const checked = audit(published);
  const provenance = (inputs.provenance ?? []).map(readProvenance);
  const waveChanges = readWaveChanges(inputs);

  const analysis = Object.values(gathered).flatMap((g) => g.parts);
  const logs = [...cleaningArts, ...validationArts];
  const sources: Source[] = [
    { element: 'Table 1', inputs: [files.published, ...logs] },
    { element: 'Table 2, Figure 1, tables/table2.csv', inputs: gathered.table2.parts },
    { element: 'Table 2a, tables/time-items.csv', inputs: gathered.timeItems.parts },
    { element: 'Table 3, Figure 2, tables/table3.csv', inputs: gathered.table3.parts },
    { element: 'Table 4, Figure 3, tables/table4.csv', inputs: gathered.table4.parts },
    { element: 'Table 5, Figure 4, tables/table5.csv', inputs: gathered.table5.parts },
    { element: 'Reproduction: Tables R1, R2, Figure 5, tables/reproduction.csv', inputs: [files.published, ...analysis, ...logs] },
    { element: 'Audit: Table S1, tables/audit.csv', inputs: [files.published] },
    ...(waveChanges
      ? [{ element: 'The panel across waves: Tables P1-P4, tables/panel.csv, paired-changes.csv, correlation-changes.csv, attrition.csv', inputs: Object.values(waveChanges.files) }]
      : []),
  ];

  const model: Model = {
    published, levels, timeItems, individual, collective, nudges, cleaning, validation, counts, waves, paperWave,
    synthetic: Boolean(cleaning?.synthetic || validation?.synthetic),
    tolerances, comparisons, audit: checked, provenance, sources,
    ...(waveChanges ? { waveChanges } : {}),
  };

  const latest = waves[0];
  const plans: FigurePlan[] = [];
  if (latest !== undefined) {
    if (levels.some((r) => r.wave === latest))
      plans.push({ name: 'table2-levels', label: 'Figure 1', caption: `Individual and collective co-production and willingness to give time, by area and theme (wave ${latest}; data of Table 2).`, alt: 'Grouped bar chart of the three percentages of Table 2 for each area and theme.', spec: levelsSpec(levels, latest) });
    if (individual.some((r) => r.wave === latest && r.r !== null))
      plans.push({ name: 'table3-heatmap', label: 'Figure 2', caption: `Correlates of individual co-production (wave ${latest}; data of Table 3). Red negative, blue positive; outlined cells significant at 5%; blank where not asked.`, alt: 'Heatmap of the correlations of Table 3, predictors by area and theme.', spec: heatmapSpec(individual, latest, 'individual') });
    if (collective.some((r) => r.wave === latest && r.r !== null))
      plans.push({ name: 'table4-heatmap', label: 'Figure 3', caption: `Correlates of collective co-production (wave ${latest}; data of Table 4). Red negative, blue positive; outlined cells significant at 5%; blank where not asked.`, alt: 'Heatmap of the correlations of Table 4, predictors by area and theme.', spec: heatmapSpec(collective, latest, 'collective') });
    if (nudges.some((r) => r.wave === latest && r.coef !== null))
      plans.push({ name: 'table5-nudges', label: 'Figure 4', caption: `Nudge coefficients with 95% intervals against no nudge (wave ${latest}; data of Table 5). Filled points are significant at 5%.`, alt: 'Coefficient plot of the nudge effects of Table 5, with intervals, for individual and collective co-production.', spec: nudgeSpec(nudges, latest) });
  }
  const compared: ComparedValue[] = comparisons
    .filter((c) => c.recomputed !== null && ['2', '3', '4', '5'].includes(c.table))
    .map((c) => ({
      panel: c.table === '2' ? 'Table 2 (%)' : c.table === '5' ? 'Table 5 (coefficients)' : 'Tables 3 and 4 (r)',
      published: c.target,
      recomputed: c.recomputed!,
      verdict: c.verdict,
      suspect: c.suspect,
      label: `${c.area} ${c.theme}`,
    }));
  if (compared.length)
    plans.push({ name: 'published-vs-recomputed', label: 'Figure 5', caption: `Published values (corrected readings where the transcription gives one) against values recomputed from wave ${paperWave}; the dashed line marks equality.`, alt: 'Scatter plots of published against recomputed values for Table 2, Tables 3 and 4, and Table 5, with the identity line.', spec: publishedSpec(compared, paperWave) });

  const outputs: StepOutputs = {};
  const figures = new Map<string, Figure>();
  for (const plan of plans) {
    const { svg, warnings } = await renderSvg(plan.spec);
    if (warnings.length) throw new Error(`figure ${plan.name} compiled with warnings: ${warnings.join('; ')}`);
    figures.set(plan.name, { id: `fig-${plan.name}`, label: plan.label, caption: plan.caption, name: plan.name, svg, alt: plan.alt });
    outputs[`figures/${plan.name}.vl.json`] = JSON.stringify(plan.spec, null, 2) + '\n';
    outputs[`figures/${plan.name}.svg`] = svg.endsWith('\n') ? svg : `${svg}\n`;
  }

  const blocks = paper(model, figures);
  outputs['paper.md'] = toMarkdown(blocks);
  outputs['paper.html'] = toHtml(TITLE, blocks);
  const pass = (art: Artifact, header: string[]) => passThrough(readCsv(art, header));
  outputs['tables/table2.csv'] = pass(files.table2, []);
  outputs['tables/time-items.csv'] = pass(files.timeItems, []);
  outputs['tables/table3.csv'] = pass(files.table3, []);
  outputs['tables/table4.csv'] = pass(files.table4, []);
  outputs['tables/table5.csv'] = pass(files.table5, []);
  outputs['tables/reproduction.csv'] = { content: writeCsv(REPRODUCTION_COLUMNS, comparisons.map(comparisonCells)), rows: comparisons.length };
  if (waveChanges) for (const [name, path] of Object.entries(WAVE_TABLES)) outputs[path] = pass(waveChanges.files[name as keyof typeof WAVE_TABLES], []);
  outputs['tables/audit.csv'] = { content: writeCsv(AUDIT_COLUMNS, checked.rows.map((r) => AUDIT_COLUMNS.map((c) => r[c]))), rows: checked.rows.length };
  return outputs;
}
