/** The tables weights writes (render reads all but weights.csv), as schemas/weights.tables.json describes them. */
import spec from '../../schemas/weights.tables.json' with { type: 'json' };
import { headerOf, tableContract } from './table-contract.js';

export const WEIGHTS = tableContract(spec, 'weights.csv');
export const WEIGHTING = tableContract(spec, 'weighting.csv');
export const TABLE2_WEIGHTED = tableContract(spec, 'table2-weighted.csv');
export const CORRELATIONS_WEIGHTED = tableContract(spec, 'correlations-weighted.csv');
export const EXPERIMENT_WEIGHTED = tableContract(spec, 'experiment-weighted.csv');
export const WEIGHTS_HEADER = headerOf(WEIGHTS);
export const WEIGHTING_HEADER = headerOf(WEIGHTING);
export const TABLE2_WEIGHTED_HEADER = headerOf(TABLE2_WEIGHTED);
export const CORRELATIONS_WEIGHTED_HEADER = headerOf(CORRELATIONS_WEIGHTED);
export const EXPERIMENT_WEIGHTED_HEADER = headerOf(EXPERIMENT_WEIGHTED);
