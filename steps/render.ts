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
import { DataError, outputBytes, type Artifact, type StepInputs, type StepOutputs } from '../contract/step.js';
import { audit, AUDIT_COLUMNS } from './render/audit.js';
import { passThrough, readCsv, writeCsv } from '../lib/table/csv-read.js';
import { TABLE3, TABLE4 } from '../lib/table/correlation-tables.js';
import { balanceContract, ESTIMATES as EXPERIMENT_ESTIMATES, POWER } from '../lib/table/experiment-tables.js';
import { TABLE2, TIME_ITEMS } from '../lib/table/level-tables.js';
import { TABLE5 } from '../lib/table/nudge-tables.js';
import type { TableContract } from '../lib/table/table-contract.js';
import { CORRELATIONS_WEIGHTED, EXPERIMENT_WEIGHTED, TABLE2_WEIGHTED, WEIGHTING } from '../lib/table/weight-tables.js';
import type { Figure } from '../lib/report/document.js';
import { toHtml } from '../lib/report/html.js';
import { toMarkdown } from '../lib/report/markdown.js';
import { paper, TITLE, type Model } from './render/paper.js';
import { readAnalysis, type RenderParams } from '../lib/report/analysis-inputs.js';
import { provenanceJson, type Source } from './render/provenance.js';
import { readProvenanceRecord } from '../lib/table/provenance-record.js';
import { comparisonCells, REPRODUCTION_COLUMNS } from '../lib/report/reproduction.js';
import { drawFigures, figurePlans, predrawn } from '../lib/report/figure-plans.js';
import { readWaveChanges, WAVE_CONTRACTS, WAVE_TABLES } from './render/waves.js';
import { readWeighting } from './render/weighting.js';
import { ESTIMATES, weightedPrimary } from './render/weighted-estimates.js';
import { reproductionLineage } from './render/reproduction-lineage.js';
import { auditLineage } from './render/audit-lineage.js';
import { CITATION_STYLE, formatReferences } from './render/references.js';
import { environment } from './render/environment.js';
import { cellLineage } from './render/cell-lineage.js';
import { gatheredLineage } from '../lib/report/gather.js';
import { restsOn } from '../lib/report/cell-panel.js';

export type { RenderParams } from '../lib/report/analysis-inputs.js';

export default async function render(inputs: StepInputs, params: RenderParams = {}): Promise<StepOutputs> {
  const read = readAnalysis(inputs, params);
  const { labels, gathered, files, cleaningArts, validationArts, cleaning, validation, timeItems, nudges, published, tolerances, paperWave, waves, counts, comparisons, experiment } = read;
  const checked = audit(labels, published);
  const provenance = (inputs.provenance ?? []).map(readProvenanceRecord);
  const waveChanges = readWaveChanges(inputs);
  const weighting = readWeighting(inputs);
  const estimates = params.estimates ?? 'unweighted';
  if (!ESTIMATES.includes(estimates)) throw new DataError(`render.estimates is "${estimates}"; it is one of ${ESTIMATES.join(', ')}`, { value: estimates });
  // The main tables' rows: the step outputs, or (estimates = weighted) the weighted ones of the weighted areas.
  const unweighted = { levels: read.levels, individual: read.individual, collective: read.collective };
  const { levels, individual, collective } = estimates === 'weighted' ? weightedPrimary(unweighted, weighting) : unweighted;
  const weightedMain = estimates === 'weighted' ? weighting?.gathered : undefined;

  const analysis = Object.values(gathered).flatMap((g) => g.parts);
  const logs = [...cleaningArts, ...validationArts];
  const sources: Source[] = [
    { element: 'Table 1', inputs: [files.published, ...logs] },
    // With weighted estimates the main tables also rest on the weights step's tables.
    { element: 'Table 2, Figure 1, tables/table2.csv', inputs: [...gathered.table2.parts, ...(weightedMain ? weightedMain.levels.parts : [])] },
    { element: 'Table 2a, tables/time-items.csv', inputs: gathered.timeItems.parts },
    { element: 'Table 3, Figure 2, tables/table3.csv', inputs: [...gathered.table3.parts, ...(weightedMain ? weightedMain.correlations.parts : [])] },
    { element: 'Table 4, Figure 3, tables/table4.csv', inputs: [...gathered.table4.parts, ...(weightedMain ? weightedMain.correlations.parts : [])] },
    { element: 'Table 5, Figure 4, tables/table5.csv', inputs: gathered.table5.parts },
    { element: 'Reproduction: Tables R1, R2, Figure 5, tables/reproduction.csv', inputs: [files.published, ...analysis, ...logs] },
    { element: 'Audit: Table S1, tables/audit.csv', inputs: [files.published] },
    ...(experiment
      ? [
          { element: 'The experiment: Tables E1-E3, Figure E1, tables/balance.csv, experiment.csv, power.csv', inputs: [...experiment.gathered.balance.parts, ...experiment.gathered.estimates.parts, ...experiment.gathered.power.parts] },
          { element: 'Methods', inputs: [...(inputs.experimentInfo ?? [])] },
        ]
      : []),
    ...(weighting
      ? [
          {
            element: 'Sensitivity to weighting: Tables S2, S3, tables/weighting.csv, table2-weighted.csv, correlations-weighted.csv, experiment-weighted.csv',
            inputs: [...weighting.gathered.weighting.parts, ...weighting.gathered.levels.parts, ...weighting.gathered.correlations.parts, ...weighting.gathered.experiment.parts],
          },
        ]
      : []),
    ...(waveChanges
      ? [{ element: 'The panel across waves: Tables W1-W4, tables/panel.csv, paired-changes.csv, correlation-changes.csv, attrition.csv', inputs: waveChanges.parts }]
      : []),
  ];

  const model: Model = {
    labels, published, levels, timeItems, individual, collective, nudges, cleaning, validation, counts, waves, paperWave,
    synthetic: Boolean(cleaning?.synthetic || validation?.synthetic),
    tolerances, comparisons, audit: checked, provenance, sources,
    ...(waveChanges ? { waveChanges } : {}),
    ...(experiment ? { experiment } : {}),
    ...(weighting ? { weighting } : {}),
    ...(estimates === 'weighted' ? { estimates, unweighted } : {}),
    ...(inputs.references?.[0] ? { references: formatReferences(inputs.references[0], published.source.doi) } : {}),
    ...(inputs.lockfile?.[0] ? { environment: environment(inputs.lockfile[0], provenance, `${CITATION_STYLE.name} (${CITATION_STYLE.template})`) } : {}),
  };

  const plans = figurePlans({ levels, individual, collective, nudges, comparisons, latest: waves[0], paperWave, experiment, labels });
  // Figures drawn by the per-wave figures step are used as they are (render then never loads vega);
  // without them, render draws its own.
  // The figures step draws the unweighted tables: with weighted ones render draws its own.
  const drawn = inputs.figures?.length && estimates === 'unweighted' ? predrawn(inputs.figures, plans) : await drawFigures(plans);
  const outputs: StepOutputs = {};
  const figures = new Map<string, Figure>();
  for (const figure of drawn) {
    figures.set(figure.name, { id: `fig-${figure.name}`, label: figure.label, caption: figure.caption, name: figure.name, svg: figure.svg, alt: figure.alt });
    outputs[`figures/${figure.name}.vl.json`] = JSON.stringify(figure.spec, null, 2) + '\n';
    outputs[`figures/${figure.name}.svg`] = figure.svg.endsWith('\n') ? figure.svg : `${figure.svg}\n`;
  }

  const blocks = paper(model, figures);
  outputs['paper.md'] = toMarkdown(blocks);
  const lineage = cellLineage(
    {
      'table2.csv': { element: 'Table 2', gathered: gathered.table2, rows: unweighted.levels.map((r) => ({ ...r, n: r.respondents })) },
      'time-items.csv': { element: 'Table 2a', gathered: gathered.timeItems, rows: timeItems },
      'table3.csv': { element: 'Table 3', gathered: gathered.table3, rows: unweighted.individual },
      'table4.csv': { element: 'Table 4', gathered: gathered.table4, rows: unweighted.collective },
      'table5.csv': { element: 'Table 5', gathered: gathered.table5, rows: nudges },
      ...(experiment
        ? {
            'balance.csv': { element: 'Table E1', gathered: experiment.gathered.balance, rows: experiment.balance },
            'experiment.csv': { element: 'Table E2', gathered: experiment.gathered.estimates, rows: experiment.estimates },
            'power.csv': { element: 'Table E3', gathered: experiment.gathered.power, rows: experiment.power.map((r) => ({ ...r, n: r.n_arm + r.n_none })) },
          }
        : {}),
      ...(weighting
        ? {
            'weighting.csv': { element: 'Table S2', gathered: weighting.gathered.weighting, rows: weighting.areas.map((r) => ({ ...r, n: r.respondents })) },
            'table2-weighted.csv': { element: 'Table S3', gathered: weighting.gathered.levels, rows: weighting.levels.map((r) => ({ ...r, n: null })) },
          }
        : {}),
      ...(waveChanges?.gathered
        ? {
            'panel.csv': { element: 'Table W1', gathered: waveChanges.gathered.panel, rows: waveChanges.panel.map((r) => ({ ...r, wave: r.to, n: r.retained === null ? null : r.retained + r.lost! })) },
            'paired-changes.csv': { element: 'Table W2', gathered: waveChanges.gathered.pairedChanges, rows: waveChanges.paired.map((r) => ({ ...r, wave: r.to })) },
            'correlation-changes.csv': { element: 'Table W3', gathered: waveChanges.gathered.correlationChanges, rows: waveChanges.correlations.map((r) => ({ ...r, wave: r.to, n: null })) },
            'attrition.csv': { element: 'Table W4', gathered: waveChanges.gathered.attrition, rows: waveChanges.attrition.map((r) => ({ ...r, wave: r.from, n: r.nRetained + r.nLost })) },
          }
        : {}),
      // The main tables' numbers point into the weighted tables when they show them.
      ...(weighting && estimates === 'weighted'
        ? {
            'table2-weighted.csv': { element: 'Table 2 (weighted)', gathered: weighting.gathered.levels, rows: weighting.levels.map((r) => ({ ...r, n: r.weightedCount })) },
            'correlations-weighted.csv': { element: 'Tables 3 and 4 (weighted)', gathered: weighting.gathered.correlations, rows: weighting.correlations },
          }
        : {}),
    },
    provenance,
    cleaning,
  );
  outputs['provenance.json'] = provenanceJson([...sources, ...(inputs.lockfile ?? []).map((a) => ({ element: 'Computing environment', inputs: [a] })), ...(inputs.references ?? []).map((a) => ({ element: 'References', inputs: [a] }))], provenance);
  const pass = (art: Artifact, table: TableContract) => passThrough(readCsv(art, table));
  outputs['tables/table2.csv'] = pass(files.table2, TABLE2);
  outputs['tables/time-items.csv'] = pass(files.timeItems, TIME_ITEMS);
  outputs['tables/table3.csv'] = pass(files.table3, TABLE3);
  outputs['tables/table4.csv'] = pass(files.table4, TABLE4);
  outputs['tables/table5.csv'] = pass(files.table5, TABLE5);
  if (experiment) {
    outputs['tables/balance.csv'] = pass(experiment.gathered.balance.merged, balanceContract(labels.armNames()));
    outputs['tables/experiment.csv'] = pass(experiment.gathered.estimates.merged, EXPERIMENT_ESTIMATES);
    outputs['tables/power.csv'] = pass(experiment.gathered.power.merged, POWER);
  }
  if (weighting) {
    outputs['tables/weighting.csv'] = pass(weighting.gathered.weighting.merged, WEIGHTING);
    outputs['tables/table2-weighted.csv'] = pass(weighting.gathered.levels.merged, TABLE2_WEIGHTED);
    outputs['tables/correlations-weighted.csv'] = pass(weighting.gathered.correlations.merged, CORRELATIONS_WEIGHTED);
    outputs['tables/experiment-weighted.csv'] = pass(weighting.gathered.experiment.merged, EXPERIMENT_WEIGHTED);
  }
  // Each published analysis table's row lineage: row k is row j of the branch it was gathered from.
  const experimentTables = experiment ? { balance: experiment.gathered.balance, experiment: experiment.gathered.estimates, power: experiment.gathered.power } : {};
  const w = waveChanges?.gathered;
  const waveTables = w ? { panel: w.panel, 'paired-changes': w.pairedChanges, 'correlation-changes': w.correlationChanges, attrition: w.attrition } : {};
  const g2 = weighting?.gathered;
  const weightingTables = g2 ? { weighting: g2.weighting, 'table2-weighted': g2.levels, 'correlations-weighted': g2.correlations, 'experiment-weighted': g2.experiment } : {};
  for (const [name, g] of Object.entries({ table2: gathered.table2, 'time-items': gathered.timeItems, table3: gathered.table3, table4: gathered.table4, table5: gathered.table5, ...experimentTables, ...waveTables, ...weightingTables }))
    outputs[`tables/${name}.csv.lineage.json`] = gatheredLineage(g);
  outputs['tables/reproduction.csv'] = { content: writeCsv(REPRODUCTION_COLUMNS, comparisons.map(comparisonCells)), rows: comparisons.length };
  const analysisCsv = Object.fromEntries(
    ['tables/table2.csv', 'tables/table3.csv', 'tables/table4.csv', 'tables/table5.csv', 'tables/time-items.csv'].flatMap((f) => (outputs[f] === undefined ? [] : [[f, new TextDecoder().decode(outputBytes(outputs[f]!))]])),
  );
  outputs['tables/reproduction.csv.lineage.json'] = reproductionLineage(comparisons, analysisCsv, paperWave);
  if (waveChanges) for (const [name, path] of Object.entries(WAVE_TABLES)) outputs[path] = pass(waveChanges.files[name as keyof typeof WAVE_TABLES], WAVE_CONTRACTS[name as keyof typeof WAVE_TABLES]);
  outputs['tables/audit.csv'] = { content: writeCsv(AUDIT_COLUMNS, checked.rows.map((r) => AUDIT_COLUMNS.map((c) => r[c]))), rows: checked.rows.length };
  outputs['tables/audit.csv.lineage.json'] = auditLineage(checked, published, files.published, analysisCsv, paperWave);
  // The panel of a reproduction or audit number names what its row rests on, from the same sidecars.
  for (const file of ['reproduction.csv', 'audit.csv']) Object.assign(lineage.rows, restsOn(file, new TextDecoder().decode(outputBytes(outputs[`tables/${file}.lineage.json`]!))));
  outputs['paper.html'] = toHtml(TITLE, blocks, lineage);
  return outputs;
}
