/**
 * The experiment step's tables (balance.csv, experiment.csv, power.csv) by their columns, and what
 * experiment.json holds: the shapes the report reads.
 */
import type { Artifact } from '../../contract/step.js';
import infoSchema from '../../schemas/experiment-info.schema.json' with { type: 'json' };
import { readChecked } from './read-json.js';

export const BALANCE_HEADER = ['wave', 'area', 'themes', 'variable', 'n', 'n_none', 'n_a', 'n_b', 'n_both', 'mean_none', 'mean_a', 'mean_b', 'mean_both', 'smd_a', 'smd_b', 'smd_both', 'test', 'statistic', 'df1', 'df2', 'p', 'note'] as const;
export const EXPERIMENT_HEADER = ['wave', 'area', 'theme', 'outcome', 'specification', 'controls', 'term', 'coef', 'se_hc3', 't_hc3', 'p_hc3', 'stars', 'ci_low', 'ci_high', 'n', 'n_arm', 'n_none', 'mean_none', 'wald_f', 'wald_df1', 'wald_df2', 'wald_p', 'family', 'p_bh', 'p_holm'] as const;
export const POWER_HEADER = ['wave', 'area', 'theme', 'outcome', 'term', 'n_arm', 'n_none', 'df', 'sigma', 'se', 'mde', 'se_hc3', 'mde_hc3', 'alpha', 'power'] as const;

/** What experiment.json holds. */
export interface ExperimentInfo {
  wave: number;
  min_activity_answers: number;
  alpha: number;
  power: number;
  adjust_for: string[];
  /** Per experimental area, the pre-treatment variables it asked (in the order above). */
  pre_treatment: { area: string; asked: string[] }[];
  families: { specification: string; contrasts: number; models: number }[];
}

/** experiment.json as experiment wrote it, checked against schemas/experiment-info.schema.json. */
export const readExperimentInfo = (art: Artifact): ExperimentInfo => readChecked<ExperimentInfo>(art, infoSchema);
