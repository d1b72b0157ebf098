/**
 * Reads the committed R reference (test/fixtures/stats/): the fixture CSVs, whose 17-digit values
 * parse to exactly the doubles R computed on, and R's results in r-outputs.json.
 * Regenerate with `bash test/fixtures/install-r.sh && Rscript test/fixtures/stats.R`.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import * as assert from 'uvu/assert';

const dir = new URL('../../fixtures/stats/', import.meta.url);

/** JSON null stands for R's NA/NaN (and for a value R did not compute). */
type Num = number | null;

export interface RCorrelation {
  dataset: string; x: string; y: string; method: 'pearson' | 'spearman';
  n: number; r: number; t: number; df: number; p: number; ci_lower: Num; ci_upper: Num;
}
export interface RTerm {
  name: string; coef: number; se: number; t: number; p: number; ci_lower: number; ci_upper: number;
  /** sandwich::vcovHC(type = "HC3") + lmtest::coeftest. */
  hc3_se: number; hc3_t: number; hc3_p: number;
  /** The same HC3 matrix computed by R in QR form (accurate when X is ill-conditioned; see stats.R). */
  hc3_qr_se: number; hc3_qr_t: number; hc3_qr_p: number;
}
export interface RRegression {
  dataset: string; outcome: string; columns: string[]; intercept: boolean;
  n: number; df: number; coeftest_df: number; r2: number; sigma: number; condition_number: number; terms: RTerm[];
}
export interface ROutputs {
  r_version: string;
  correlations: RCorrelation[];
  bh: { name: string; p: Num[]; adjusted: Num[] }[];
  ols: RRegression[];
  rank_deficient: { dataset: string; outcome: string; columns: string[]; dropped: string[] }[];
  distributions: {
    t: { t: number[]; df: number[]; lower_of_minus_t: number[]; quantile_975: number[] };
    normal: { z: number[]; lower_of_minus_z: number[]; p: number[]; quantile: number[] };
  };
  wald: RWald[];
  balance: RBalance[];
  balance_joint: { variables: string[]; n: number; tested: string[]; coef: number[]; statistic: number; df: number; p: number };
  mde: { sigma: number; n1: number; n0: number; df: number; alpha: number; power: number; mde: number; power_t_test: Num }[];
  wilson: { x: number; n: number; lower: number; upper: number }[];
  t_interval: { variable: string; n: number; mean: number; lower: number; upper: number }[];
  holm: { name: string; p: Num[]; adjusted: Num[] }[];
}
/** lm on the experiment fixture, its HC3 matrix, and a joint Wald test of `tested` (lmtest::waldtest, F form). */
export interface RWald {
  outcome: string; columns: string[]; tested: string[]; n: number; df: number; coef: number[]; vcov_hc3: number[][];
  statistic: number; df1: number; f: number; p_f: number; p_chisq: number;
}
export interface RBalance {
  variable: string; n: number; n_none: number; mean_none: number;
  arms: { arm: string; n: number; mean: number; smd: number }[];
  statistic: number; df1: number; df2: number; f: number; p_f: number;
}

export const reference: ROutputs = JSON.parse(readFileSync(new URL('r-outputs.json', dir), 'utf8'));

/** A fixture table as columns; empty cells (R's NA) become NaN. */
export function dataset(name: string): Record<string, Float64Array> {
  const rows: Record<string, string>[] = parse(readFileSync(new URL(`${name}.csv`, dir), 'utf8'), { columns: true });
  const names = Object.keys(rows[0] ?? {});
  return Object.fromEntries(names.map((c) => [c, Float64Array.from(rows, (r) => (r[c] === '' ? NaN : Number(r[c])))]));
}

/** null (R's NA) read back as NaN. */
export function orNaN(values: readonly Num[]): number[] {
  return values.map((v) => (v === null ? NaN : v));
}

export function assertAbsolute(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: got ${actual}, R gives ${expected} (|diff| ${Math.abs(actual - expected)} > ${tolerance})`);
}

export function assertRelative(actual: number, expected: number, tolerance: number, what: string): void {
  const diff = Math.abs(actual - expected) / Math.abs(expected);
  assert.ok(expected === actual || diff <= tolerance, `${what}: got ${actual}, R gives ${expected} (relative diff ${diff} > ${tolerance})`);
}
