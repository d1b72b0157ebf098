/**
 * The weighting sensitivity analysis (the weights step's weighting.csv, table2-weighted.csv and
 * correlations-weighted.csv): how each area was weighted, and the levels re-estimated with the weights
 * beside the unweighted ones. The paper's tables stay unweighted; this section shows how far weighting
 * to the population would move them.
 */
import { DataError, type StepInputs } from '../../contract/step.js';
import { numberCell, readCsv, type CsvTable } from '../../lib/table/csv-read.js';
import { CORRELATIONS_WEIGHTED, EXPERIMENT_WEIGHTED, TABLE2_WEIGHTED, WEIGHTING } from '../../lib/table/weight-tables.js';

type Row = CsvTable['rows'][number];
import { address, cell, heading, num as numPart, paragraph, partsCell, type Block, type Cell, type Inline, type Table } from '../../lib/report/document.js';
import { gatherCsv, type Gathered } from '../../lib/report/gather.js';
import type { Labels } from '../../lib/report/labels.js';
import type { EstimateRow } from '../../lib/report/experiment-inputs.js';
import { fixed, list, numberWord } from '../../lib/report/words.js';
import type { CorrelationRow, LevelRow } from '../../lib/report/inputs.js';
import { correlationTable } from '../../lib/report/tables.js';

export interface WeightingRow {
  /** The row's place in weighting.csv (1 = first data row), for the printed number's address. */
  at?: number;
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
  /** The row's place in table2-weighted.csv (1 = first data row), for the printed number's address. */
  at: number;
  wave: number;
  area: string;
  theme: string;
  measure: string;
  unweighted: number | null;
  weighted: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  /** The theme's respondents with a weight. */
  weightedCount: number | null;
}

/** A weighted correlation with its design-based inference (correlations-weighted.csv). */
export interface WeightedCorrelationRow {
  /** The row's place in correlations-weighted.csv (1 = first data row). */
  at: number;
  wave: number;
  area: string;
  theme: string;
  outcome: string;
  predictor: string;
  item: string;
  n: number | null;
  r: number | null;
  se: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  p: number | null;
}

export interface WeightedArmRow {
  /** The row's place in experiment-weighted.csv (1 = first data row). */
  at: number;
  wave: number;
  area: string;
  theme: string;
  outcome: string;
  term: string;
  coef: number | null;
  se: number | null;
  p: number | null;
  n: number | null;
}

export interface WeightingTables {
  areas: WeightingRow[];
  levels: WeightedLevelRow[];
  correlations: WeightedCorrelationRow[];
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
  const e = readCsv(gathered.experiment.merged, EXPERIMENT_WEIGHTED);
  const w = readCsv(gathered.weighting.merged, WEIGHTING);
  const l = readCsv(gathered.levels.merged, TABLE2_WEIGHTED);
  const c = readCsv(gathered.correlations.merged, CORRELATIONS_WEIGHTED);
  return {
    areas: w.rows.map((row, i) => ({
      at: i + 1,
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
    levels: l.rows.map((row, i) => ({
      at: i + 1,
      wave: num(l, row, 'wave')!,
      area: text(row, 'area'),
      theme: text(row, 'theme'),
      measure: text(row, 'measure'),
      unweighted: num(l, row, 'unweighted_pct'),
      weighted: num(l, row, 'weighted_pct'),
      ciLow: num(l, row, 'ci_low'),
      ciHigh: num(l, row, 'ci_high'),
      weightedCount: num(l, row, 'weighted'),
    })),
    correlations: c.rows.map((row, i) => ({
      at: i + 1,
      wave: num(c, row, 'wave')!,
      area: text(row, 'area'),
      theme: text(row, 'theme'),
      outcome: text(row, 'outcome'),
      predictor: text(row, 'predictor'),
      item: text(row, 'item'),
      n: num(c, row, 'n'),
      r: num(c, row, 'r_weighted'),
      se: num(c, row, 'se'),
      ciLow: num(c, row, 'ci_low'),
      ciHigh: num(c, row, 'ci_high'),
      p: num(c, row, 'p'),
    })),
    arms: e.rows.map((row, i) => ({
      at: i + 1,
      wave: num(e, row, 'wave')!,
      area: text(row, 'area'),
      theme: text(row, 'theme'),
      outcome: text(row, 'outcome'),
      term: text(row, 'term'),
      coef: num(e, row, 'coef'),
      se: num(e, row, 'se'),
      p: num(e, row, 'p'),
      n: num(e, row, 'n'),
    })),
    gathered,
  };
}

const MEASURE_LABELS: Record<string, string> = { individual: 'Individual index', collective: 'Collective (%)', willing: 'Willing (%)' };

/**
 * Section 2.6: how the areas were weighted (Table S2) and the weighted levels beside the unweighted
 * (Table S3). When the main tables show the weighted estimates (`unweighted` given), the section is
 * the unweighted sensitivity analysis instead, and also prints the unweighted Tables 3 and 4 (S4, S5).
 */
export function weightingSection(
  L: Labels,
  x: WeightingTables,
  wave: number,
  unweightedMain?: { levels: LevelRow[]; individual: CorrelationRow[]; collective: CorrelationRow[] },
  experiment?: readonly EstimateRow[],
): Block[] {
  const areas = x.areas.filter((a) => a.wave === wave).sort((a, b) => L.compareAreas(a.area, b.area));
  const levels = x.levels.filter((r) => r.wave === wave).sort((a, b) => L.compareAreas(a.area, b.area) || L.compareThemes(a.theme, b.theme));
  if (!areas.length) return [];
  const weighted = areas.filter((a) => a.margins !== '');
  const unweighted = areas.filter((a) => a.margins === '');
  const synthetic = weighted.some((a) => a.population === 'synthetic');
  const shifts = levels.filter((r) => r.weighted !== null && r.unweighted !== null).map((r) => ({ r, d: r.weighted! - r.unweighted! }));
  const largest = shifts.sort((a, b) => Math.abs(b.d) - Math.abs(a.d))[0];
  const sentences: Inline[] = [
    `${unweightedMain ? "Citizens' panels are not probability samples, and Tables 2 to 4 of this report are weighted:" : "Citizens' panels are not probability samples. As a sensitivity analysis,"} ${list(weighted.map((a) => a.area))} ${weighted.length === 1 ? 'is' : 'are'} raked to population margins of ${list([...new Set(weighted.map((a) => a.margins.replace(/_/g, ' ').replace(/ \+ /g, ' and ')))])}`,
    synthetic ? ' (synthetic margins made for the replica, stated in raw/population-margins.json: replace them with census totals)' : '',
    `; ${unweighted.length ? `${list(unweighted.map((a) => a.area))} ${unweighted.length === 1 ? 'stays' : 'stay'} unweighted (Table S2 says why). ` : ''}`,
    // A difference of two cells of Table S3: linked to the table.
    ...(largest ? ['Weighting moves a level by at most ', { counted: fixed(Math.abs(largest.d), 2), from: `tbl-s3-${wave}` }, ` points (${largest.r.area}, ${largest.r.theme}, ${MEASURE_LABELS[largest.r.measure]?.toLowerCase() ?? largest.r.measure}). `] : []),
    'Intervals are design-based (linearised, with the raking taken into account).',
  ];
  const arms = x.arms.filter((a) => a.wave === wave && a.p !== null);
  const armsLabel = unweightedMain ? 'Table S6' : 'Table S4';
  if (arms.length)
    sentences.push(
      ` Refitted by weighted least squares with design-based standard errors, ${numberWord(arms.filter((a) => a.p! < 0.05).length)} of the ${arms.length} unadjusted arm contrasts of the weighted areas have p < .05 (${armsLabel}, tables/experiment-weighted.csv).`,
    );
  const areaTable: Table = {
    id: `tbl-s2-${wave}`,
    label: 'Table S2',
    caption: `Raking weights per area (wave ${wave})`,
    head: ['Area', 'Margins', 'Respondents', 'Weighted', 'Passes', "Kish's deff", 'Weights (min-max)', 'Note'],
    align: ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'left'],
    rows: areas.map((a) => {
      const at = (column: string) => address('weighting.csv', a.at, column);
      const one = (text: string, column: string): Cell => partsCell([[numPart(text, at(column))]]);
      return {
        cells: [
          cell(a.area),
          cell(a.margins.replace(/_/g, ' ') || 'none'),
          one(String(a.respondents), 'respondents'),
          one(String(a.weighted), 'weighted'),
          a.passes === null ? cell('') : partsCell([[numPart(String(a.passes), at('passes')), a.converged === 'no' ? ' (not converged)' : '']]),
          a.deff === null ? cell('') : one(fixed(a.deff, 2), 'kish_deff'),
          a.minWeight === null ? cell('') : partsCell([[numPart(fixed(a.minWeight, 1), at('min_weight')), '-', numPart(fixed(a.maxWeight!, 1), at('max_weight'))]]),
          a.note || !a.withoutWeight ? cell(a.note) : partsCell([[numPart(String(a.withoutWeight), at('without_weight')), " without a weight (a margin's answer missing)"]]),
        ],
      };
    }),
    notes: [['Every value is in ', { code: 'tables/weighting.csv' }, '.']],
  };
  const levelTable: Table = {
    id: `tbl-s3-${wave}`,
    label: 'Table S3',
    caption: `Levels of co-production, unweighted and weighted (wave ${wave})`,
    head: ['Area', 'Theme', 'Measure', 'Unweighted', 'Weighted', '95% interval'],
    align: ['left', 'left', 'left', 'right', 'right', 'right'],
    rows: levels.map((r) => {
      const at = (column: string) => address('table2-weighted.csv', r.at, column);
      return {
        cells: [
          cell(r.area),
          cell(r.theme),
          cell(MEASURE_LABELS[r.measure] ?? r.measure),
          r.unweighted === null ? cell('') : partsCell([[numPart(fixed(r.unweighted, 2), at('unweighted_pct'))]]),
          r.weighted === null ? cell('') : partsCell([[numPart(fixed(r.weighted, 2), at('weighted_pct'))]]),
          r.ciLow === null ? cell('') : partsCell([[numPart(fixed(r.ciLow, 1), at('ci_low')), ' to ', numPart(fixed(r.ciHigh!, 1), at('ci_high'))]]),
        ],
      };
    }),
    notes: [['Weighted correlations for Tables 3 and 4 are in ', { code: 'tables/correlations-weighted.csv' }, '; every level is in ', { code: 'tables/table2-weighted.csv' }, '.']],
  };
  if (unweightedMain) sentences.push(' As a sensitivity analysis, Table S3 sets the unweighted levels beside the weighted ones, and Tables S4 and S5 are Tables 3 and 4 unweighted, as the correlate step computed them.');
  const unweightedTables: Block[] = unweightedMain
    ? [
        correlationTable(L, unweightedMain.individual, wave, 'individual', 'Table S4', `tbl-s4-${wave}`, 'tables/table3.csv'),
        correlationTable(L, unweightedMain.collective, wave, 'collective', 'Table S5', `tbl-s5-${wave}`, 'tables/table4.csv'),
      ]
        .filter((t) => t.rows.length)
        .map((t) => ({ kind: 'table' as const, table: { ...t, caption: t.caption.replace(/\)$/, '; unweighted)') } }))
    : [];
  const armRows = x.arms
    .filter((a) => a.wave === wave)
    .sort((a, b) => L.compareAreas(a.area, b.area) || L.compareThemes(a.theme, b.theme) || (a.outcome < b.outcome ? 1 : a.outcome > b.outcome ? -1 : 0) || L.compareTerms(a.term, b.term));
  const p3 = (p: number | null | undefined) => (p === null || p === undefined ? '-' : p < 0.001 ? '<0.001' : fixed(p, 3));
  const estimate = (coef: number | null | undefined, se: number | null | undefined) => (coef === null || coef === undefined ? '-' : `${fixed(coef, 1)} (${se === null || se === undefined ? '-' : fixed(se, 1)})`);
  const armTable: Table = {
    id: `tbl-arms-weighted-${wave}`,
    label: armsLabel,
    caption: `The nudge arms against no nudge, unweighted and weighted, in the weighted areas (wave ${wave})`,
    head: ['Area', 'Theme', 'Outcome', 'Arm', 'Unweighted (HC3 SE)', 'p', 'Weighted (design SE)', 'p', 'n weighted'],
    align: ['left', 'left', 'left', 'left', 'right', 'right', 'right', 'right', 'right'],
    rows: armRows.map((a) => {
      const u = experiment?.find((e) => e.wave === a.wave && e.area === a.area && e.theme === a.theme && e.outcome === a.outcome && e.term === a.term && e.specification === 'unadjusted');
      return { cells: [cell(a.area), cell(a.theme), cell(a.outcome), cell(L.termLabel(a.term)), cell(estimate(u?.coef, u?.se_hc3)), cell(p3(u?.p_hc3)), cell(estimate(a.coef, a.se)), cell(p3(a.p)), cell(a.n === null ? '-' : String(a.n))] };
    }),
    notes: [['Unadjusted models: each outcome on the three arms, randomised respondents only; the unweighted estimate is Table E2\'s, the weighted one weighted least squares with design-based standard errors (as svyglm on the raked design). Every value is in ', { code: 'tables/experiment.csv' }, ' and ', { code: 'tables/experiment-weighted.csv' }, '.']],
  };
  return [
    heading(3, unweightedMain ? `2.6 Weighted and unweighted estimates (wave ${wave})` : `2.6 Sensitivity to weighting (wave ${wave})`, 'sec-weighting'),
    paragraph(...sentences),
    { kind: 'table', table: areaTable },
    ...(levels.length ? [{ kind: 'table' as const, table: levelTable }] : []),
    ...unweightedTables,
    ...(armRows.length ? [{ kind: 'table' as const, table: armTable }] : []),
  ];
}
