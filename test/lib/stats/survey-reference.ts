/**
 * The committed R reference for the survey-weighting statistics (test/fixtures/survey/): the panel
 * and population CSVs and R's results in survey-outputs.json.
 * Regenerate with `bash test/fixtures/install-r.sh && Rscript test/fixtures/survey.R`.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

const dir = new URL('../../fixtures/survey/', import.meta.url);

export interface RSurveyModel { formula: string; terms: string[]; coef: number[]; se: number[]; t: number[]; p: number[]; df: number }
export interface RSurveyCorrelation { x: string; y: string; n: number; r: number; r_cov2cor: number; se: number; ci_lower: number; ci_upper: number; z: number; p: number }
export interface RSurveyOutputs {
  r_version: string;
  survey_version: string;
  raking: {
    margins: string[];
    converged: { epsilon: number; maxit: number; weights: number[]; passes: number; kish: number };
    loose: { epsilon: number; maxit: number; weights: number[]; passes: number };
    trimmed: { upper: number; lower: number; weights: number[]; kish: number };
    trimmed_strict: { weights: number[] };
  };
  means: { design: string; estimates: { variable: string; mean: number; se: number }[] }[];
  glms: { design: string; models: RSurveyModel[] }[];
  correlations: { design: string; estimates: { x: string; y: string; n: number; r: number }[] }[];
  joint_raking: Record<'joint_only' | 'joint_and_arm', { margins: string[]; weights: number[]; passes: number; kish: number; means: { variable: string; mean: number; se: number }[] }>;
  correlation_inference: { design: string; estimates: RSurveyCorrelation[]; domain: RSurveyCorrelation[] }[];
  panel_tests: {
    correlation_change: { observed: number; replicates: number[]; se: number; ci_lower: number; ci_upper: number; p: number };
    mcnemar: { no_to_yes: number; yes_to_no: number; correct: boolean; statistic: number; p: number }[];
    smd: { a: string; b: string; value: number }[];
  };
}

export const surveyReference: RSurveyOutputs = JSON.parse(readFileSync(new URL('survey-outputs.json', dir), 'utf8'));

/** A fixture table as columns; empty cells (R's NA) become NaN. */
export function surveyTable(name: string): Record<string, Float64Array> {
  const rows: Record<string, string>[] = parse(readFileSync(new URL(`${name}.csv`, dir), 'utf8'), { columns: true });
  const names = Object.keys(rows[0] ?? {});
  return Object.fromEntries(names.map((c) => [c, Float64Array.from(rows, (r) => (r[c] === '' ? NaN : Number(r[c])))]));
}
