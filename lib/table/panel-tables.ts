/**
 * The columns of the tables compare-waves writes for each pair of waves (panel.csv, paired-changes.csv,
 * correlation-changes.csv, attrition.csv), in their order: the shapes the report reads.
 */

export const PANEL_HEADER = ['wave_from', 'wave_to', 'area', 'retained', 'lost', 'recruited', 'retention_pct'] as const;

export const PAIRED_HEADER = [
  'wave_from', 'wave_to', 'area', 'theme', 'outcome', 'n', 'mean_from', 'mean_to', 'mean_change', 'ci_low', 'ci_high', 't', 'p',
  'no_to_yes', 'yes_to_no', 'mcnemar', 'p_mcnemar', 'comparable', 'note',
] as const;

export const CORRELATION_CHANGES_HEADER = [
  'wave_from', 'wave_to', 'table', 'area', 'theme', 'predictor', 'item', 'r_from', 'n_from', 'r_to', 'n_to', 'z', 'p',
  'change', 'se_boot', 'ci_low_boot', 'ci_high_boot', 'p_boot', 'comparable', 'note',
] as const;

export const ATTRITION_HEADER = [
  'wave_from', 'wave_to', 'area', 'theme', 'variable', 'n_retained', 'n_lost', 'mean_retained', 'mean_lost', 'difference', 'smd', 'smd_flag', 't', 'p',
] as const;
