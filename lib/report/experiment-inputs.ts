/**
 * The experiment step's tables as typed rows (balance.csv, experiment.csv, power.csv, experiment.json).
 * Every reader checks the columns it uses; render works without them
 * (an older cache, a test that gives only the paper's tables): the sections they feed are then left out.
 */
import { DataError, type Artifact, type StepInputs } from '../../contract/step.js';
import { numberCell, readCsv, requiredNumber, type CsvTable } from '../table/csv-read.js';
import { gatherCsv, type Gathered } from './gather.js';
import { balanceContract, ESTIMATES, POWER, readExperimentInfo, type ExperimentInfo } from '../table/experiment-tables.js';
import { headerOf } from '../table/table-contract.js';

export type { ExperimentInfo };

type Row = CsvTable['rows'][number];

export interface BalanceRow {
  /** The row's place in its CSV (1 = first data row), for the printed number's address. */
  at?: number;
  wave: number;
  area: string;
  themes: string;
  variable: string;
  n: number | null;
  /** Respondents per arm: none, A, B, both. */
  counts: (number | null)[];
  /** Standardised differences of A, B and both against none. */
  smd: (number | null)[];
  test: string;
  statistic: number | null;
  df1: number | null;
  df2: number | null;
  p: number | null;
  note: string;
}

export interface EstimateRow {
  /** The row's place in its CSV (1 = first data row), for the printed number's address. */
  at?: number;
  wave: number;
  area: string;
  theme: string;
  outcome: string;
  specification: string;
  controls: string;
  term: string;
  coef: number;
  se_hc3: number;
  p_hc3: number;
  stars: string;
  ci_low: number;
  ci_high: number;
  n: number;
  wald_p: number | null;
  family: string;
  p_bh: number;
  p_holm: number;
}

export interface PowerRow {
  /** The row's place in its CSV (1 = first data row), for the printed number's address. */
  at?: number;
  wave: number;
  area: string;
  theme: string;
  outcome: string;
  term: string;
  n_arm: number;
  n_none: number;
  mde: number;
  mde_hc3: number;
  alpha: number;
  power: number;
}

export interface ExperimentTables {
  balance: BalanceRow[];
  estimates: EstimateRow[];
  power: PowerRow[];
  /** One per wave, latest last (the runner's wave order). */
  info: ExperimentInfo[];
  gathered: { balance: Gathered; estimates: Gathered; power: Gathered };
}

const text = (row: Row, column: string) => (row.cells[column] ?? '').trim();
const key = (t: CsvTable, row: Row) => ({ wave: requiredNumber(t, row, 'wave'), area: text(row, 'area') });

/** The experiment's tables (`arms`: the study's, the control first), or undefined when render was not given them. */
export function readExperiment(inputs: StepInputs, arms: readonly string[]): ExperimentTables | undefined {
  const names = ['balance', 'experiment', 'power', 'experimentInfo'] as const;
  const given = names.filter((n) => (inputs[n] ?? []).length > 0);
  if (given.length === 0) return undefined;
  if (given.length < names.length) throw new DataError(`render was given only some of the experiment's outputs (${given.join(', ')}); it needs ${names.join(', ')}`);
  const gathered = { balance: gatherCsv(inputs, 'balance'), estimates: gatherCsv(inputs, 'experiment'), power: gatherCsv(inputs, 'power') };
  return {
    balance: readBalance(gathered.balance.merged, arms),
    estimates: readEstimates(gathered.estimates.merged),
    power: readPower(gathered.power.merged),
    info: inputs.experimentInfo!.map(readExperimentInfo),
    gathered,
  };
}

/** balance.csv, whose columns follow the study's arms (`arms`, the control first). */
export function readBalance(art: Artifact, arms: readonly string[]): BalanceRow[] {
  const contract = balanceContract(arms);
  const header = headerOf(contract);
  const counts = header.filter((c) => c.startsWith('n_'));
  const smds = header.filter((c) => c.startsWith('smd_'));
  const t = readCsv(art, contract);
  return t.rows.map((row, i) => ({
    ...key(t, row),
    at: i + 1,
    themes: text(row, 'themes'),
    variable: text(row, 'variable'),
    n: numberCell(t, row, 'n'),
    counts: counts.map((c) => numberCell(t, row, c)),
    smd: smds.map((c) => numberCell(t, row, c)),
    test: text(row, 'test'),
    statistic: numberCell(t, row, 'statistic'),
    df1: numberCell(t, row, 'df1'),
    df2: numberCell(t, row, 'df2'),
    p: numberCell(t, row, 'p'),
    note: text(row, 'note'),
  }));
}

export function readEstimates(art: Artifact): EstimateRow[] {
  const t = readCsv(art, ESTIMATES);
  return t.rows.map((row, i) => ({
    ...key(t, row),
    at: i + 1,
    theme: text(row, 'theme'),
    outcome: text(row, 'outcome'),
    specification: text(row, 'specification'),
    controls: text(row, 'controls'),
    term: text(row, 'term'),
    coef: requiredNumber(t, row, 'coef'),
    se_hc3: requiredNumber(t, row, 'se_hc3'),
    p_hc3: requiredNumber(t, row, 'p_hc3'),
    stars: text(row, 'stars'),
    ci_low: requiredNumber(t, row, 'ci_low'),
    ci_high: requiredNumber(t, row, 'ci_high'),
    n: requiredNumber(t, row, 'n'),
    wald_p: numberCell(t, row, 'wald_p'),
    family: text(row, 'family'),
    p_bh: requiredNumber(t, row, 'p_bh'),
    p_holm: requiredNumber(t, row, 'p_holm'),
  }));
}

export function readPower(art: Artifact): PowerRow[] {
  const t = readCsv(art, POWER);
  return t.rows.map((row, i) => ({
    ...key(t, row),
    at: i + 1,
    theme: text(row, 'theme'),
    outcome: text(row, 'outcome'),
    term: text(row, 'term'),
    n_arm: requiredNumber(t, row, 'n_arm'),
    n_none: requiredNumber(t, row, 'n_none'),
    mde: requiredNumber(t, row, 'mde'),
    mde_hc3: requiredNumber(t, row, 'mde_hc3'),
    alpha: requiredNumber(t, row, 'alpha'),
    power: requiredNumber(t, row, 'power'),
  }));
}

