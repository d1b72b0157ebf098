/**
 * compare-waves: every wave's scores, correlation tables and logs → the panel across waves.
 *
 *   index[w]:scores.arrow ─────────┐
 *   correlate[w]:table3/4.csv ─────┼─ match by wave ─ check waves ─┬─ panel.csv              (who stayed)
 *   clean[w]:cleaning-log.json ────┤   (waves/        (waves/      ├─ paired-changes.csv     (paired t, McNemar)
 *   validate[w]:validation-report ─┤    wave-inputs)   checks)     ├─ correlation-changes.csv (Fisher z, bootstrap)
 *   clean[w]:provenance.json (opt.)┘                               └─ attrition.csv          (SMD, Welch t)
 *
 * A gathering step: each input holds one artifact per wave. Consecutive waves are compared (2013 with
 * 2014, 2014 with 2015, …); respondents are followed by their persistent ID within an area. A wave that
 * misses an area earlier waves have, or repeats an earlier wave's export, stops the step with a DataError
 * naming the file (waves/checks.ts). One wave gives the four files with their headers only.
 *
 * Rows are sorted by wave pair, area and theme in table order, then outcome, table or variable; means,
 * differences, intervals, t and z have 4 decimals, r 6, percentages 2, p 6 significant digits; a value
 * that is not defined is an empty cell. Cells are written by analysis/csv.ts (formula-guarded).
 */
import type { StepInputs, StepOutputs } from '../contract/step.js';
import { toCsv, type Cell } from '../lib/table/csv.js';
import { attritionRows } from './compare-waves/attrition.js';
import { ATTRITION_HEADER } from '../lib/table/panel-tables.js';
import { checkWaves } from './compare-waves/checks.js';
import { bootstrapChanges } from './compare-waves/correlation-bootstrap.js';
import { correlationChangeRows } from './compare-waves/correlation-changes.js';
import { CORRELATION_CHANGES_HEADER } from '../lib/table/panel-tables.js';
import { pairedRows } from './compare-waves/paired-changes.js';
import { PAIRED_HEADER } from '../lib/table/panel-tables.js';
import { panelRows } from './compare-waves/retention.js';
import { PANEL_HEADER } from '../lib/table/panel-tables.js';
import { gatherWaves } from './compare-waves/wave-inputs.js';
import { TableLineage } from '../lib/table/lineage.js';

export interface CompareWavesParams {
  /** Bootstrap replicates for the change of each correlation (0: none); default 1000. */
  bootstrapReplicates?: number;
  /** Seed of the bootstrap's draws (recorded in the cache key like any parameter); default 20130601. */
  bootstrapSeed?: number;
  /** |standardised mean difference| above which attrition flags a variable; default 0.1. */
  smdThreshold?: number;
}

export default function compareWaves(inputs: StepInputs, params: CompareWavesParams = {}): StepOutputs {
  const bootstrap = { replicates: params.bootstrapReplicates ?? 1000, seed: params.bootstrapSeed ?? 20130601 };
  const waves = gatherWaves(inputs);
  checkWaves(waves);
  const panel: Cell[][] = [];
  const paired: Cell[][] = [];
  const correlations: Cell[][] = [];
  const attrition: Cell[][] = [];
  const lineage = { panel: new TableLineage(), paired: new TableLineage(), correlations: new TableLineage(), attrition: new TableLineage() };
  for (let k = 1; k < waves.length; k++) {
    const from = waves[k - 1]!;
    const to = waves[k]!;
    panel.push(...panelRows(from.scores, to.scores, lineage.panel.add));
    paired.push(...pairedRows({ scores: from.scores, log: from.cleaning.log }, { scores: to.scores, log: to.cleaning.log }, lineage.paired.add));
    correlations.push(
      ...correlationChangeRows(
        { wave: from.wave, log: from.cleaning.log, tables: { 3: from.table3, 4: from.table4 } },
        { wave: to.wave, log: to.cleaning.log, tables: { 3: to.table3, 4: to.table4 } },
        to.scores.vocabulary,
        bootstrapChanges(from.scores, to.scores, bootstrap),
        lineage.correlations.add,
      ),
    );
    attrition.push(...attritionRows(from.scores, to.scores, params.smdThreshold ?? 0.1, lineage.attrition.add));
  }
  const out = (header: readonly string[], rows: Cell[][]) => ({ content: toCsv(header, rows), rows: rows.length });
  return {
    'panel.csv': out(PANEL_HEADER, panel),
    'paired-changes.csv': out(PAIRED_HEADER, paired),
    'correlation-changes.csv': out(CORRELATION_CHANGES_HEADER, correlations),
    'attrition.csv': out(ATTRITION_HEADER, attrition),
    // Row lineage for explain --cell: each row's rows of the two waves' scores (or correlation tables).
    'panel.csv.lineage.json': lineage.panel.json(),
    'paired-changes.csv.lineage.json': lineage.paired.json(),
    'correlation-changes.csv.lineage.json': lineage.correlations.json(),
    'attrition.csv.lineage.json': lineage.attrition.json(),
  };
}
