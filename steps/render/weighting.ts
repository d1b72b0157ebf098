/**
 * The weighting sensitivity analysis (the weights step's weighting.csv, table2-weighted.csv and
 * correlations-weighted.csv): how each area was weighted, and the levels re-estimated with the weights
 * beside the unweighted ones. The paper's tables stay unweighted; this section shows how far weighting
 * to the population would move them.
 */
import { DataError, type StepInputs } from '../../contract/step.js';
import { numberCell, readCsv, type CsvTable } from '../../lib/table/csv-read.js';

type Row = CsvTable['rows'][number];
import { cell, heading, paragraph, type Block, type Table } from '../../lib/report/document.js';
import { gatherCsv, type Gathered } from '../../lib/report/gather.js';
import type { Labels } from '../../lib/report/labels.js';
import { fixed, list, numberWord } from '../../lib/report/words.js';

export interface WeightingRow {
  wave: number;
  area: string;
  margins: string;
  population: string;
  respondents: number;
  weighted: number;
  withoutWeight: number;
  passes: number | null;
  converged: string;
  deff: number | null;
  minWeight: number | null;
  maxWeight: number | null;
  note: string;
}

export interface WeightedLevelRow {
  wave: number;
  area: string;
  theme: string;
  measure: string;
  unweighted: number | null;
  weighted: number | null;
  ciLow: number | null;
  ciHigh: number | null;
}

export interface WeightedArmRow {
  wave: number;
  p: number | null;
}

export interface WeightingTables {
  areas: WeightingRow[];
  levels: WeightedLevelRow[];
  arms: WeightedArmRow[];
  gathered: { weighting: Gathered; levels: Gathered; correlations: Gathered; experiment: Gathered };
}

const text = (row: Row, column: string) => (row.cells[column] ?? '').trim();
const num = (t: CsvTable, row: Row, column: string) => numberCell(t, row, column);

/** The weights step's tables, or undefined when render was not given them. */
export function readWeighting(inputs: StepInputs): WeightingTables | undefined {
  const names = ['weighting', 'weightedLevels', 'weightedCorrelations', 'weightedExperiment'] as const;
  const given = names.filter((n) => (inputs[n] ?? []).length > 0);
  if (given.length === 0) return undefined;
  if (given.length < names.length) throw new DataError(`render was given only some of the weights step's outputs (${given.join(', ')}); it needs ${names.join(', ')}`);
  const gathered = {
    weighting: gatherCsv(inputs, 'weighting'),
    levels: gatherCsv(inputs, 'weightedLevels'),
    correlations: gatherCsv(inputs, 'weightedCorrelations'),
    experiment: gatherCsv(inputs, 'weightedExperiment'),
  };
  const e = readCsv(gathered.experiment.merged, ['wave', 'p']);
  const w = readCsv(gathered.weighting.merged, ['wave', 'area', 'margins', 'population', 'respondents', 'weighted', 'without_weight', 'passes', 'converged', 'kish_deff', 'min_weight', 'max_weight', 'note']);
  const l = readCsv(gathered.levels.merged, ['wave', 'area', 'theme', 'measure', 'unweighted_pct', 'weighted_pct', 'ci_low', 'ci_high']);
  return {
    areas: w.rows.map((row) => ({
      wave: num(w, row, 'wave')!,
      area: text(row, 'area'),
      margins: text(row, 'margins'),
      population: text(row, 'population'),
      respondents: num(w, row, 'respondents')!,
      weighted: num(w, row, 'weighted')!,
      withoutWeight: num(w, row, 'without_weight')!,
      passes: num(w, row, 'passes'),
      converged: text(row, 'converged'),
      deff: num(w, row, 'kish_deff'),
      minWeight: num(w, row, 'min_weight'),
      maxWeight: num(w, row, 'max_weight'),
      note: text(row, 'note'),
    })),
    levels: l.rows.map((row) => ({
      wave: num(l, row, 'wave')!,
      area: text(row, 'area'),
      theme: text(row, 'theme'),
      measure: text(row, 'measure'),
      unweighted: num(l, row, 'unweighted_pct'),
      weighted: num(l, row, 'weighted_pct'),
      ciLow: num(l, row, 'ci_low'),
      ciHigh: num(l, row, 'ci_high'),
    })),
    arms: e.rows.map((row) => ({ wave: num(e, row, 'wave')!, p: num(e, row, 'p') })),
    gathered,
  };
}

const MEASURE_LABELS: Record<string, string> = { individual: 'Individual index', collective: 'Collective (%)', willing: 'Willing (%)' };

/** Section 2.6: how the areas were weighted (Table S2) and the weighted levels (Table S3). */
export function weightingSection(L: Labels, x: WeightingTables, wave: number): Block[] {
  const areas = x.areas.filter((a) => a.wave === wave).sort((a, b) => L.compareAreas(a.area, b.area));
  const levels = x.levels.filter((r) => r.wave === wave).sort((a, b) => L.compareAreas(a.area, b.area) || L.compareThemes(a.theme, b.theme));
  if (!areas.length) return [];
  const weighted = areas.filter((a) => a.margins !== '');
  const unweighted = areas.filter((a) => a.margins === '');
  const synthetic = weighted.some((a) => a.population === 'synthetic');
  const shifts = levels.filter((r) => r.weighted !== null && r.unweighted !== null).map((r) => ({ r, d: r.weighted! - r.unweighted! }));
  const largest = shifts.sort((a, b) => Math.abs(b.d) - Math.abs(a.d))[0];
  const sentences = [
    `Citizens' panels are not probability samples. As a sensitivity analysis, ${list(weighted.map((a) => a.area))} ${weighted.length === 1 ? 'is' : 'are'} raked to population margins of ${list([...new Set(weighted.map((a) => a.margins.replace(/_/g, ' ').replace(/ \+ /g, ' and ')))])}`,
    synthetic ? ' (synthetic margins made for the replica, stated in raw/population-margins.json: replace them with census totals)' : '',
    `; ${unweighted.length ? `${list(unweighted.map((a) => a.area))} ${unweighted.length === 1 ? 'stays' : 'stay'} unweighted (Table S2 says why). ` : ''}`,
    largest ? `Weighting moves a level by at most ${fixed(Math.abs(largest.d), 2)} points (${largest.r.area}, ${largest.r.theme}, ${MEASURE_LABELS[largest.r.measure]?.toLowerCase() ?? largest.r.measure}). ` : '',
    'Intervals are design-based (linearised, with the raking taken into account).',
  ];
  const arms = x.arms.filter((a) => a.wave === wave && a.p !== null);
  if (arms.length)
    sentences.push(
      ` Refitted by weighted least squares with design-based standard errors, ${numberWord(arms.filter((a) => a.p! < 0.05).length)} of the ${arms.length} unadjusted arm contrasts of the weighted areas have p < .05 (tables/experiment-weighted.csv).`,
    );
  const areaTable: Table = {
    id: `tbl-s2-${wave}`,
    label: 'Table S2',
    caption: `Raking weights per area (wave ${wave})`,
    head: ['Area', 'Margins', 'Respondents', 'Weighted', 'Passes', "Kish's deff", 'Weights (min-max)', 'Note'],
    align: ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'left'],
    rows: areas.map((a) => ({
      cells: [
        cell(a.area),
        cell(a.margins.replace(/_/g, ' ') || 'none'),
        cell(String(a.respondents)),
        cell(String(a.weighted)),
        cell(a.passes === null ? '' : `${a.passes}${a.converged === 'no' ? ' (not converged)' : ''}`),
        cell(a.deff === null ? '' : fixed(a.deff, 2)),
        cell(a.minWeight === null ? '' : `${fixed(a.minWeight, 1)}-${fixed(a.maxWeight!, 1)}`),
        cell(a.note || (a.withoutWeight ? `${a.withoutWeight} without a weight (a margin's answer missing)` : '')),
      ],
    })),
    notes: [['Every value is in ', { code: 'tables/weighting.csv' }, '.']],
  };
  const levelTable: Table = {
    id: `tbl-s3-${wave}`,
    label: 'Table S3',
    caption: `Levels of co-production, unweighted and weighted (wave ${wave})`,
    head: ['Area', 'Theme', 'Measure', 'Unweighted', 'Weighted', '95% interval'],
    align: ['left', 'left', 'left', 'right', 'right', 'right'],
    rows: levels.map((r) => ({
      cells: [
        cell(r.area),
        cell(r.theme),
        cell(MEASURE_LABELS[r.measure] ?? r.measure),
        cell(r.unweighted === null ? '' : fixed(r.unweighted, 2)),
        cell(r.weighted === null ? '' : fixed(r.weighted, 2)),
        cell(r.ciLow === null ? '' : `${fixed(r.ciLow, 1)} to ${fixed(r.ciHigh!, 1)}`),
      ],
    })),
    notes: [['Weighted correlations for Tables 3 and 4 are in ', { code: 'tables/correlations-weighted.csv' }, '; every level is in ', { code: 'tables/table2-weighted.csv' }, '.']],
  };
  return [heading(3, `2.6 Sensitivity to weighting (wave ${wave})`, 'sec-weighting'), paragraph(sentences.join('')), { kind: 'table', table: areaTable }, ...(levels.length ? [{ kind: 'table' as const, table: levelTable }] : [])];
}
