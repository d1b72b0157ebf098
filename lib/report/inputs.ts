/**
 * The analysis tables as typed rows. Each reader checks the columns the output contract names, turns
 * empty cells into null ("not applicable") and rejects anything else that is not a number, naming the
 * file, line, column and value.
 */
import { METHODS } from './coefficient.js';
import { DataError, type Artifact } from '../../contract/step.js';
import { numberCell, readCsv, requiredNumber, type CsvTable } from '../table/csv-read.js';
import { TABLE3 } from '../table/correlation-tables.js';
import { TABLE2, TIME_ITEMS } from '../table/level-tables.js';
import { TABLE5 } from '../table/nudge-tables.js';
import type { TableContract } from '../table/table-contract.js';

export interface LevelRow {
  /** The row's place in its CSV (1 = first data row), for the printed number's address. */
  at?: number;
  wave: number;
  area: string;
  theme: string;
  respondents: number | null;
  individual_pct: number | null;
  collective_pct: number | null;
  willing_pct: number | null;
  /** 95% intervals of the three levels, where table2.csv has them: [low, high], null where no interval. */
  ci?: { individual: Interval; collective: Interval; willing: Interval };
  /** The printed numbers' addresses when they come from another table than table2.csv (weighted estimates): column → address. */
  cells?: Record<string, string | undefined>;
}

type Interval = [number, number] | null;

export interface TimeItemRow {
  /** The row's place in its CSV (1 = first data row), for the printed number's address. */
  at?: number;
  wave: number;
  area: string;
  theme: string;
  item: string;
  pct: number | null;
  n: number | null;
}

export interface CorrelationRow {
  /** The row's place in its CSV (1 = first data row), for the printed number's address. */
  at?: number;
  wave: number;
  area: string;
  theme: string;
  predictor: string;
  item: string;
  r: number | null;
  n: number | null;
  p: number | null;
  stars: string;
  ci_low: number | null;
  ci_high: number | null;
  p_bh: number | null;
  /** What r is: Pearson's r or Spearman's rho (correlate's `method`). */
  method: 'pearson' | 'spearman';
  /** r's address when it comes from another table than the one the caller names (weighted estimates). */
  cells?: { r?: string };
}

export interface NudgeRow {
  /** The row's place in its CSV (1 = first data row), for the printed number's address. */
  at?: number;
  wave: number;
  area: string;
  theme: string;
  item: string;
  outcome: string;
  term: string;
  coef: number | null;
  se: number | null;
  t: number | null;
  p: number | null;
  stars: string;
  ci_low: number | null;
  ci_high: number | null;
  se_hc3: number | null;
  p_hc3: number | null;
  n: number | null;
}

const STARS = new Set(['', '*', '**', '***']);

function text(table: CsvTable, row: CsvTable['rows'][number], column: string, allowed?: ReadonlySet<string>): string {
  const value = (row.cells[column] ?? '').trim();
  if (allowed && !allowed.has(value))
    throw new DataError(`unexpected value (expected one of ${[...allowed].map((a) => JSON.stringify(a)).join(', ')})`, { file: table.file, line: row.line, column, value });
  return value;
}

function wave(table: CsvTable, row: CsvTable['rows'][number]): number {
  const w = requiredNumber(table, row, 'wave');
  if (!Number.isInteger(w)) throw new DataError('wave must be a whole year', { file: table.file, line: row.line, column: 'wave', value: row.cells.wave });
  return w;
}

function keyed(table: CsvTable, row: CsvTable['rows'][number]) {
  const area = text(table, row, 'area');
  const theme = text(table, row, 'theme');
  if (!area || !theme) throw new DataError('area and theme must not be empty', { file: table.file, line: row.line, column: area ? 'theme' : 'area', value: '' });
  return { wave: wave(table, row), area, theme };
}

export function readLevels(art: Artifact): LevelRow[] {
  const t = readCsv(art, TABLE2);
  return t.rows.map((row, i) => ({
    ...keyed(t, row),
    at: i + 1,
    respondents: numberCell(t, row, 'respondents'),
    individual_pct: numberCell(t, row, 'individual_pct'),
    collective_pct: numberCell(t, row, 'collective_pct'),
    willing_pct: numberCell(t, row, 'willing_pct'),
    ...(t.header.includes('individual_ci_low') ? { ci: levelIntervals(t, row) } : {}),
  }));
}

function levelIntervals(t: CsvTable, row: CsvTable['rows'][number]): NonNullable<LevelRow['ci']> {
  const pair = (name: string): Interval => {
    const low = numberCell(t, row, `${name}_ci_low`);
    const high = numberCell(t, row, `${name}_ci_high`);
    return low === null || high === null ? null : [low, high];
  };
  return { individual: pair('individual'), collective: pair('collective'), willing: pair('willing') };
}

/** time-items.csv, whose items are the study's per-item outcomes (`items`). */
export function readTimeItems(art: Artifact, items: ReadonlySet<string>): TimeItemRow[] {
  const t = readCsv(art, TIME_ITEMS);
  return t.rows.map((row, i) => ({
    ...keyed(t, row),
    at: i + 1,
    item: text(t, row, 'item', items),
    pct: numberCell(t, row, 'pct'),
    n: numberCell(t, row, 'n'),
  }));
}

/** Table 3 (by default) or Table 4, which share their columns. */
export function readCorrelations(art: Artifact, table: TableContract = TABLE3): CorrelationRow[] {
  const t = readCsv(art, table);
  return t.rows.map((row, i) => ({
    ...keyed(t, row),
    at: i + 1,
    predictor: text(t, row, 'predictor'),
    item: text(t, row, 'item'),
    r: numberCell(t, row, 'r'),
    n: numberCell(t, row, 'n'),
    p: numberCell(t, row, 'p'),
    stars: text(t, row, 'stars', STARS),
    ci_low: numberCell(t, row, 'ci_low'),
    ci_high: numberCell(t, row, 'ci_high'),
    p_bh: numberCell(t, row, 'p_bh'),
    method: text(t, row, 'method', METHODS) as CorrelationRow['method'],
  }));
}

/** table5.csv, whose terms are the study's (`terms`). */
export function readNudges(art: Artifact, terms: readonly string[]): NudgeRow[] {
  const t = readCsv(art, TABLE5);
  return t.rows.map((row, i) => ({
    ...keyed(t, row),
    at: i + 1,
    item: text(t, row, 'item'),
    outcome: text(t, row, 'outcome', new Set(['individual', 'collective'])),
    term: text(t, row, 'term', new Set(terms)),
    coef: numberCell(t, row, 'coef'),
    se: numberCell(t, row, 'se'),
    t: numberCell(t, row, 't'),
    p: numberCell(t, row, 'p'),
    stars: text(t, row, 'stars', STARS),
    ci_low: numberCell(t, row, 'ci_low'),
    ci_high: numberCell(t, row, 'ci_high'),
    se_hc3: numberCell(t, row, 'se_hc3'),
    p_hc3: numberCell(t, row, 'p_hc3'),
    n: numberCell(t, row, 'n'),
  }));
}

/** Waves present in any table, latest first. */
export function wavesOf(...tables: ReadonlyArray<ReadonlyArray<{ wave: number }>>): number[] {
  const set = new Set<number>();
  for (const t of tables) for (const r of t) set.add(r.wave);
  return [...set].sort((a, b) => b - a);
}
