/**
 * correlate: scores → Tables 3 (individual index) and 4 (collective indicator).
 *
 *   scores.arrow ── per wave, area, theme ── per predictor column asked there ── corTest ──┬─ table3.csv
 *                                                                                          ├─ table4.csv
 *                                                                                          └─ table3-r.csv, table4-r.csv
 *
 * Each cell correlates the outcome with one predictor (or predictor sub-item) over the respondents of the
 * group who have both values: don't know and blank drop the pair, not the respondent (pairwise exclusion),
 * and `n` is the number of pairs used. p is two-sided from t with n - 2 df, the 95% interval is Fisher's z
 * (empty when n = 3), stars follow the paper's note (** p < .01, * p < .05), and p_bh is the
 * Benjamini-Hochberg adjustment across all cells of the table within one wave. `method: 'spearman'`
 * ranks both columns first (ties share their mean rank) and reports rho in the r column.
 *
 * A predictor not asked in a group has no row. A predictor asked but without a defined correlation
 * (fewer than 3 pairs, or a constant column over the pairs) stops the step with a DataError naming the
 * wave, area, theme, predictor and item: the table has no way to show such a cell.
 *
 * Rows: wave, area, theme in table order, then predictors in the paper's row order
 * (the unsplit question before its sub-items, sub-items in the vocabulary's order). r and its interval
 * have 6 decimals, p and p_bh 6 significant digits. table3-r.csv and table4-r.csv hold the same cells'
 * r unrounded (and n), for compare-waves, whose Fisher z would otherwise carry the rounding. Beside each
 * table, `<table>.lineage.json` lists for each row the scores rows of its complete pairs (as many as its
 * n), for `explain --cell`.
 */
import { DataError, type StepInputs, type StepOutputs } from '../contract/step.js';
import { adjustBH, corTest, stars, type CorrelationMethod, type CorrelationTest } from '../lib/stats/index.js';
import { fixed, significant, toCsv, type Cell } from '../lib/table/csv.js';
import { groupLabel, variableOf } from '../lib/survey/analysis-vocabulary.js';
import { orderedGroups, readScores, type Outcome, type Scores } from '../lib/table/scores.js';
import { completeRanges, RowLineage, type Ranges } from '../lib/table/row-lineage.js';
// `method` says what r is (pearson or spearman), so whoever reads a table needs no other source for it.
import { CORRELATION_HEADER, EXACT_HEADER } from '../lib/table/correlation-tables.js';

export interface CorrelateParams {
  /** Default 'pearson'. */
  method?: CorrelationMethod;
}

export default async function correlate(inputs: StepInputs, params: CorrelateParams = {}): Promise<StepOutputs> {
  const method = params.method ?? 'pearson';
  if (method !== 'pearson' && method !== 'spearman') {
    throw new DataError(`correlate parameter method must be "pearson" or "spearman"`, { path: 'params.method', value: method });
  }
  const list = inputs.scores ?? [];
  if (list.length !== 1) throw new DataError(`correlate expects exactly one "scores" input, got ${list.length}`, { value: list.map((a) => a.path) });
  const scores = readScores(list[0]!.bytes, list[0]!.path);
  const pairs: Ranges[][] = [];
  const [individual, collective] = correlationTables(scores, ['individual', 'collective'], method, list[0]!.path, pairs) as [Cellwise[], Cellwise[]];
  // Each row's lineage: the scores rows of its complete pairs (as many as its n).
  const lineage = (k: number) => {
    const rows = new RowLineage([list[0]!.path], ['row']);
    for (const ranges of pairs[k]!) rows.add([[0, ranges]]);
    return rows.json();
  };
  const [lineage3, lineage4] = [lineage(0), lineage(1)];
  const [table3, table4] = [formatTable(individual, method), formatTable(collective, method)];
  const [exact3, exact4] = [individual.map(exactRow), collective.map(exactRow)];
  return {
    'table3.csv': { content: toCsv(CORRELATION_HEADER, table3), rows: table3.length },
    'table4.csv': { content: toCsv(CORRELATION_HEADER, table4), rows: table4.length },
    // r as computed (shortest round-trip decimal), for steps that compute with it: the tables round it to 6 decimals.
    'table3-r.csv': { content: toCsv(EXACT_HEADER, exact3), rows: exact3.length },
    'table4-r.csv': { content: toCsv(EXACT_HEADER, exact4), rows: exact4.length },
    'table3.csv.lineage.json': lineage3,
    'table4.csv.lineage.json': lineage4,
    'table3-r.csv.lineage.json': lineage3,
    'table4-r.csv.lineage.json': lineage4,
  };
}

interface Cellwise {
  wave: number;
  key: Cell[];
  r: number;
  n: number;
  p: number;
  ci: { lower: number; upper: number } | null;
}

/**
 * Every correlation of each outcome with the predictors, one table per outcome, in table order and
 * BH-adjusted per wave. Each group's columns are read once for all tables.
 */
export function correlationTables(scores: Scores, outcomes: readonly Outcome[], method: CorrelationMethod, file: string, pairs?: Ranges[][]): Cellwise[][] {
  const groups = orderedGroups(scores.layout).filter((g) => g.rows > 0);
  const results = groups.map((g) => {
    const end = g.start + g.rows;
    const ys = outcomes.map((o) => (g.outcomes.includes(o) ? scores.numeric(o, g.start, end) : null));
    return g.variables.map((column) => {
      const x = scores.numeric(column, g.start, end);
      return ys.map((y, k) => (y === null ? null : correlation(y, x, method, [outcomes[k]!, column])));
    });
  });

  const cells: Cellwise[][] = outcomes.map(() => []);
  if (pairs) pairs.push(...outcomes.map(() => []));
  groups.forEach((g, i) => {
    const end = g.start + g.rows;
    g.variables.forEach((column, x) => {
      const v = variableOf(column)!;
      outcomes.forEach((outcome, k) => {
        const cell = results[i]![x]![k];
        if (!cell) return;
        if ('error' in cell) {
          throw new DataError(`${groupLabel(g)}: cannot correlate ${outcome} co-production with ${v.predictor}${v.item ? ` (${v.item})` : ''}: ${cell.error.message}`, {
            file,
            column,
            value: cell.error.where.value,
          });
        }
        const { r, n, p, ci } = cell.test;
        cells[k]!.push({ wave: g.wave, key: [g.wave, g.area, g.theme, v.predictor, v.item], r, n, p, ci });
        pairs?.[k]!.push(completeRanges(g.start, [scores.numeric(outcome, g.start, end), scores.numeric(column, g.start, end)]));
      });
    });
  });
  return cells;
}

const exactRow = (c: Cellwise): Cell[] => [...c.key, c.r, c.n];

/** One correlation, or why it does not exist. */
type CellResult = { test: CorrelationTest } | { error: { message: string; where: DataError['where'] } } | null;

function correlation(y: Float64Array, x: Float64Array, method: CorrelationMethod, names: [string, string]): CellResult {
  try {
    return { test: corTest(y, x, { method, names }) };
  } catch (e) {
    if (!(e instanceof DataError)) throw e;
    return { error: { message: e.message, where: e.where } };
  }
}

/** Adjusts p per wave and prints the rows. */
function formatTable(cells: readonly Cellwise[], method: CorrelationMethod): Cell[][] {
  const adjusted = new Float64Array(cells.length);
  for (const wave of new Set(cells.map((c) => c.wave))) {
    const at = cells.flatMap((c, i) => (c.wave === wave ? [i] : []));
    const bh = adjustBH(at.map((i) => cells[i]!.p));
    at.forEach((i, k) => (adjusted[i] = bh[k]!));
  }
  return cells.map((c, i) => [
    ...c.key,
    fixed(c.r, 6),
    c.n,
    significant(c.p),
    stars(c.p),
    fixed(c.ci?.lower ?? null, 6),
    fixed(c.ci?.upper ?? null, 6),
    significant(adjusted[i]!),
    method,
  ]);
}
