/**
 * The statistics the analysis steps use, each checked against R (test/fixtures/stats.R).
 * Columns are Float64Array or number[]; NaN marks a missing value everywhere.
 *
 * The experiment's statistics (balance.ts, intervals.ts, power.ts, wald.ts, Holm in multiple-testing.ts)
 * are imported from their own modules: the runner hashes every file a step imports, and a step that
 * imports this index should not rerun when a statistic it never uses changes.
 */
export type { Column } from './column.js';
export { averageRanks, corTest, pearson, spearman, type CorrelationMethod, type CorrelationOptions, type CorrelationTest } from './correlation.js';
export { normalCdf, normalQuantile, tCdf, tQuantile, tTwoSidedP, tUpperTail } from './distributions.js';
export { adjustBH } from './multiple-testing.js';
export { ols, RANK_TOLERANCE, type OlsFit, type OlsOptions, type OlsTerm } from './ols.js';
export { stars } from './significance.js';
