/**
 * The statistics the analysis steps use, each checked against R (test/fixtures/stats.R).
 * Columns are Float64Array or number[]; NaN marks a missing value everywhere.
 */
export type { Column } from './column.js';
export { averageRanks, corTest, pearson, spearman, type CorrelationMethod, type CorrelationOptions, type CorrelationTest } from './correlation.js';
export { normalCdf, normalQuantile, tCdf, tQuantile, tTwoSidedP, tUpperTail } from './distributions.js';
export { adjustBH } from './multiple-testing.js';
export { ols, RANK_TOLERANCE, type OlsFit, type OlsOptions, type OlsTerm } from './ols.js';
export { stars } from './significance.js';
export { armContrastsHC3, standardisedDifference, type ArmContrasts } from './balance.js';
export { chiSquareUpperTail, fUpperTail } from './distributions.js';
export { tMeanInterval, wilsonInterval, type Interval, type MeanInterval } from './intervals.js';
export { adjustHolm } from './multiple-testing.js';
export { minimumDetectableEffect, twoGroupSe, type MdeOptions } from './power.js';
export { waldTest, type WaldTest } from './wald.js';
