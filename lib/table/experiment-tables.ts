/**
 * The experiment step's tables (balance.csv, experiment.csv, power.csv) by their columns, and what
 * experiment.json holds: the shapes the report reads.
 */

/** An arm's suffix in the balance table's columns: its name in lower case (`n_none`, `mean_a`). */
export const armColumn = (arm: string): string => arm.toLowerCase();

/**
 * balance.csv's columns for the study's arms (the control first): respondents, mean per arm, and each
 * treatment arm's standardised difference against the control.
 */
export function balanceHeader(arms: readonly string[]): string[] {
  const [, ...treated] = arms.map(armColumn);
  return ['wave', 'area', 'themes', 'variable', 'n', ...arms.map((a) => `n_${armColumn(a)}`), ...arms.map((a) => `mean_${armColumn(a)}`), ...treated.map((a) => `smd_${a}`), 'test', 'statistic', 'df1', 'df2', 'p', 'note'];
}
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
